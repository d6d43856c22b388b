"""How the conversation manager behaves, as dialogs: consent, commands in every language,
questions in the middle of a flow, clarifying, fallbacks, and resuming after a restart."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Event, Person
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import to_date
from tests.support.fakes import ScriptedNLU


async def count(chat: Chat, model: type) -> int:
    async with chat.dialogue.s.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# -- consent -----------------------------------------------------------------------------------

async def test_consent_comes_first_and_the_first_question_is_answered_after_yes(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await chat.say("what is a BSN")
    chat.expect("I am a bot, not a lawyer", "180 days", "/forget", "Do you agree?")
    assert await count(chat, Event) == 0  # nothing logged before consent
    await chat.press("Yes, I agree")
    chat.expect("Thank you", "BSN is your citizen service number")
    assert await count(chat, Event) > 0


async def test_yes_typed_in_another_language_also_agrees(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await chat.say("hello")
    await chat.say("نعم")
    chat.expect("Thank you")


async def test_declining_deletes_the_person_and_says_nothing_was_kept(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await chat.say("can I work?")
    await chat.press("No")
    chat.expect("have not saved anything")
    assert await count(chat, Person) == 0


async def test_language_can_be_chosen_before_agreeing(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await chat.say("hello")
    await chat.press("Language")
    assert "lang:ti" in chat.buttons and "lang:ckb" in chat.buttons
    await chat.payload("lang:nl")
    chat.expect("Ga je akkoord?")
    await chat.press("Ja, akkoord")
    chat.expect("Dank je")


# -- commands work everywhere, in every language ------------------------------------------------

@pytest.mark.parametrize("word", ["stop", "STOP!", "stoppen", "توقف", "ደው በል", "dur", "/cancel"])
async def test_stop_in_any_language_ends_the_flow(chat: Chat, word: str) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say(word)
    chat.expect("I stopped", "What would you like to do?")
    await chat.say("15-03-2025")  # no longer an answer to anything
    chat.expect_not("Do you have a W-document")


@pytest.mark.parametrize("word", ["back", "terug", "رجوع", "ተመለስ", "geri"])
async def test_back_returns_to_the_previous_question(chat: Chat, word: str) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("15-03-2025")
    chat.expect("Do you have a W-document")
    await chat.say(word)
    chat.expect("On what date did you apply")


async def test_back_outside_a_flow_says_so(chat: Chat) -> None:
    await chat.say("back")
    chat.expect("nothing to go back to")


@pytest.mark.parametrize("word", ["menu", "Menu", "القائمة", "ዝርዝር", "menü", "/start"])
async def test_menu_in_any_language_shows_the_menu(chat: Chat, word: str) -> None:
    await chat.say("can I work?")
    await chat.say(word)
    assert "flow:may_i_work" in chat.buttons and "cmd:coach" in chat.buttons


async def test_commands_survive_invisible_characters(chat: Chat) -> None:
    await chat.say("can I work?")
    await chat.say("\u200bst\u200dop\u200f")
    chat.expect("I stopped")


# -- inside a flow -----------------------------------------------------------------------------

async def test_invalid_answers_are_re_asked_with_a_hint_and_a_coach_is_offered_after_three(
    chat: Chat,
) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("blue")
    chat.expect("15-03-2025", "On what date did you apply")
    await chat.say("31-02-2025")
    chat.expect("That date does not exist", "On what date did you apply")
    assert "cmd:coach" not in chat.buttons
    await chat.say("2099-01-01")
    chat.expect("in the future", "On what date did you apply", "coach")
    assert "cmd:coach" in chat.buttons
    await chat.say("12-12-1999")
    chat.expect("very long ago")
    await chat.say("last summer")
    chat.expect("month and a year")
    await chat.say("01-02-2026")
    chat.expect("Do you have a W-document")


async def test_a_question_in_the_middle_is_answered_then_the_flow_resumes(chat: Chat) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("how much does a TWV cost?")
    chat.expect("Shall we continue where we were?")
    assert "On what date did you apply" not in chat.text
    await chat.say("yes")
    chat.expect("On what date did you apply")
    await chat.say("01-02-2026")
    chat.expect("Do you have a W-document")


async def test_after_the_detour_an_answer_to_the_question_is_still_taken(chat: Chat) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("what is a BSN")
    chat.expect("citizen service number", "continue")
    await chat.say("01-02-2026")
    chat.expect("Do you have a W-document")


async def test_a_stale_button_after_the_flow_ended_gets_the_menu(chat: Chat) -> None:
    await chat.payload("answer:yes")
    chat.expect("already closed")
    assert "flow:may_i_work" in chat.buttons


# -- understanding -----------------------------------------------------------------------------

async def test_unsure_parses_offer_the_likely_topics(chat: Chat) -> None:
    await chat.say("papers")
    chat.expect("Is it one of these?")
    assert chat.buttons[:2] == ["intent:documents/w_document", "intent:work_permit/what_is_twv"]
    assert "intent:greet" not in chat.buttons  # small talk is never offered
    await chat.press("intent:documents/w_document")
    chat.expect("W-document")


async def test_two_fallbacks_in_a_row_offer_a_coach(chat: Chat) -> None:
    await chat.say("asdf qwerty")
    chat.expect("did not understand")
    assert "cmd:coach" not in chat.buttons
    await chat.say("zzzz")
    chat.expect("talk to a job coach")
    assert "cmd:coach" in chat.buttons


async def test_a_request_for_a_person_starts_the_coach_flow(chat: Chat) -> None:
    await chat.say("I want a person")
    assert any(b.startswith("answer:") for b in chat.buttons)
    await chat.press(chat.buttons[0])
    chat.expect("asked a job coach", "request is saved")  # tests/dialogue/test_handoff.py


async def test_photos_and_voice_get_a_kind_reply(chat: Chat) -> None:
    for kind in ("photo", "voice", "sticker"):
        await chat.other(kind)
        chat.expect("I can only read text")


# -- state survives a restart -----------------------------------------------------------------

async def test_a_restart_resumes_at_the_same_step(make_dialogue: MakeDialogue) -> None:
    first = Chat(await make_dialogue(), user="restart-person")
    await first.agree()
    await first.say("can I work?")
    await to_date(first)
    chat = Chat(await make_dialogue(), user="restart-person")  # a new process, same database
    await chat.say("01-02-2026")
    chat.expect("Do you have a W-document")


async def test_content_changed_under_a_person_does_not_leave_them_stuck(
    make_dialogue: MakeDialogue, nlu: ScriptedNLU
) -> None:
    chat = Chat(await make_dialogue(), user="stale-person")
    await chat.agree()
    await chat.say("can I work?")
    async with chat.dialogue.s.sessions() as session, session.begin():
        person = await session.scalar(select(Person))
        assert person is not None
        from bot.db.repositories import get_state

        state = await get_state(session, person_id=person.id)
        state.step_id = "a_step_that_was_removed"
    await chat.say("1")
    chat.expect("something went wrong")
    assert "flow:may_i_work" in chat.buttons
    await chat.press("flow:may_i_work")
    chat.expect("where is your asylum case now?")


def first_words(command: str) -> list[tuple[str, str]]:
    import yaml

    from bot.settings import ROOT

    words = yaml.safe_load((ROOT / "flows" / "keywords.yml").read_text(encoding="utf-8"))
    per_lang = words["keywords"][command]
    return [(lang, per_lang[lang][0]) for lang in sorted(per_lang)]


@pytest.mark.parametrize(("lang", "word"), first_words("stop"))
async def test_stop_works_in_all_thirteen_languages(chat: Chat, lang: str, word: str) -> None:
    await chat.say("can I work?")
    await chat.say(word)
    chat.expect("What would you like to do?")
    await chat.say("1")  # the first question is gone: "1" is no longer an answer to it
    chat.expect_not("How old are you?")


@pytest.mark.parametrize(("lang", "word"), first_words("back"))
async def test_back_works_in_all_thirteen_languages(chat: Chat, lang: str, word: str) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say(word)
    # the reply may now be in that language: check the position, not the English words
    assert chat.last[-1].meta["step"] == "ask_reception"
    assert chat.buttons[0] == "answer:coa_location"


@pytest.mark.parametrize(("lang", "word"), first_words("menu"))
async def test_menu_works_in_all_thirteen_languages(chat: Chat, lang: str, word: str) -> None:
    await chat.say("can I work?")
    await chat.say(word)
    assert "flow:may_i_work" in chat.buttons


async def test_an_unreviewed_translation_says_so_once(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(), lang="ar")
    await chat.say("مرحبا")
    chat.expect("لم يراجعه بعد متحدث أصلي")  # "not yet checked by a native speaker"
    await chat.payload("cmd:consent")
    await chat.payload("lang:ti")
    chat.expect("ገና ብወሃቢ ቋንቋ ኣይተመርመረን")
    await chat.payload("lang:nl")
    chat.expect_not("moedertaalspreker")  # Dutch is written by the team, not a translation


async def test_the_employer_page_comes_in_dutch_with_pdf_links(chat: Chat) -> None:
    await chat.payload("cmd:employer")
    chat.expect("page about the work permit (TWV) for your employer", "tewerkstellingsvergunning")
    assert chat.last[-1].language == "nl"
    links = [link.url for reply in chat.last for link in reply.links]
    assert "http://127.0.0.1:8080/employer/twv.pdf?lang=nl" in links


async def test_history_keeps_buttons_and_source_links(chat: Chat) -> None:
    await chat.say("what is a BSN")
    history = await chat.dialogue.history("web", chat.user)
    answer = next(e for e in history if "citizen service number" in e["text"])
    assert any("coa.nl" in link["url"] for link in answer["links"])
    assert answer["language"] == "en" and answer["direction"] == "out"
