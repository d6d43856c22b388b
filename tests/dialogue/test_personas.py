"""The "May I work?" check for the people it is for: one row per situation, the exact verdict
each must get, typed or tapped, in several languages (docs/eligibility.md shows this table).

A verdict is the flow step `verdict_*` that answers the person. Only three verdicts say that a
person may work (ALLOWED); the test at the bottom fails if any persona whose row expects
something else reaches one of them, or reads "you may work now" in any form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from bot.content.store import load_directory
from bot.settings import ROOT
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat

ALLOWED = {"verdict_allowed", "verdict_status", "verdict_tpd"}
FLOW = load_directory(ROOT / "flows")[0].flows["may_i_work"]
TODAY = date(2026, 12, 6)
OK = ("answer:waiting", "answer:adult", "answer:no", "answer:no", "answer:coa_location")


@dataclass(frozen=True)
class Persona:
    name: str
    answers: tuple[str, ...]  # what the person taps (answer:...) or types, in order
    verdict: str
    says: tuple[str, ...] = ()  # fragments of the verdict, in order
    today: date = TODAY
    lang: str = "en"


PERSONAS = [
    Persona("waiting 7 months, W-document", (*OK, "06-05-2026", "answer:yes"),
            "verdict_allowed", ("you may work now", "November 6, 2026")),
    Persona("exactly 6 months today", (*OK, "06-06-2026", "answer:yes"),
            "verdict_allowed", ("December 6, 2026",)),
    Persona("one day short of 6 months", (*OK, "07-06-2026", "answer:yes"),
            "verdict_not_yet", ("Not yet", "from December 7, 2026")),
    Persona("month only: the last day of May counts", (*OK, "May 2026", "answer:yes"),
            "verdict_not_yet", ("from November 30, 2026",), today=date(2026, 11, 15)),
    Persona("month only, long enough ago", (*OK, "April 2026", "answer:yes"),
            "verdict_allowed", ("October 30, 2026",)),
    Persona("31 August + 6 months is 28 February", (*OK, "31-08-2025", "answer:yes"),
            "verdict_not_yet", ("February 28, 2026",), today=date(2026, 2, 27)),
    Persona("waiting long enough, no W-document yet", (*OK, "01-01-2026", "answer:not_yet"),
            "verdict_needs_w_document", ("W-document",)),
    Persona("does not know about the W-document", (*OK, "01-01-2026", "answer:dont_know"),
            "verdict_needs_w_document", ("W-document",)),
    Persona("does not know the date (taps)", (*OK, "answer:dont_know"),
            "verdict_date_unknown", ("Without the date",)),
    Persona("does not know the date (types)", (*OK, "no idea"),
            "verdict_date_unknown", ("Without the date",)),
    Persona("claim finally rejected", ("answer:rejected",),
            "verdict_rejected", ("you may not work", "28 days")),
    Persona("types 'my claim was rejected'", ("my claim was rejected",),
            "verdict_rejected", ("you may not work",)),
    Persona("appeal that lets them stay", ("answer:appeal", "answer:yes", *OK[1:],
                                           "01-01-2026", "answer:yes"),
            "verdict_allowed", ("you may work now",)),
    Persona("appeal without suspensive effect", ("answer:appeal", "answer:no"),
            "verdict_appeal_no_stay", ("probably may not work",)),
    Persona("appeal, does not know about staying", ("answer:appeal", "answer:dont_know"),
            "verdict_appeal_unknown", ("I cannot tell yet",)),
    Persona("status holder", ("answer:status",),
            "verdict_status", ("without a work permit",)),
    Persona("Ukrainian under temporary protection", ("answer:tpd",),
            "verdict_tpd", ("at once", "2 days", "March 4, 2027")),
    Persona("does not know where the case is", ("answer:dont_know",),
            "verdict_situation_unknown", ("cannot tell you yet",)),
    Persona("17 years old", ("answer:waiting", "answer:minor"),
            "verdict_minor", ("do not agree", "Nidos")),
    Persona("15 years old", ("answer:waiting", "answer:child"),
            "verdict_under_16", ("may not do paid work",)),
    Persona("does not want to say their age", ("answer:waiting", "I don't know"),
            "verdict_age_unknown", ("18",)),
    Persona("Dublin claimant", ("answer:waiting", "answer:adult", "answer:dublin"),
            "verdict_dublin", ("cannot tell you that you may work", "BSN")),
    Persona("types 'dublin'", ("answer:waiting", "answer:adult", "dublin"),
            "verdict_dublin", ("cannot tell you that you may work",)),
    Persona("protection in another EU country",
            ("answer:waiting", "answer:adult", "answer:protected_elsewhere"),
            "verdict_protected_elsewhere", ("cannot tell you that you may work",)),
    Persona("does not know about Dublin", ("answer:waiting", "answer:adult", "answer:dont_know"),
            "verdict_dublin_unknown", ("W2",)),
    Persona("from a safe country (Morocco)",
            ("answer:waiting", "answer:adult", "answer:no", "answer:yes"),
            "verdict_safe_country", ("cannot tell you that you may work", "23 September 2025")),
    Persona("does not know if the country is safe",
            ("answer:waiting", "answer:adult", "answer:no", "answer:dont_know"),
            "verdict_safe_country_unknown", ("cannot finish",)),
    Persona("lives with family, not through COA", (*OK[:4], "answer:own"),
            "verdict_no_reception", ("only if COA gives you reception",)),
    Persona("logeerregeling through COA", (*OK[:4], "answer:coa_elsewhere", "01-01-2026",
                                           "answer:yes"),
            "verdict_allowed", ("you may work now",)),
    Persona("under Nidos guardianship", (*OK[:4], "answer:nidos"),
            "verdict_nidos", ("Nidos",)),
    Persona("does not know about reception", (*OK[:4], "answer:dont_know"),
            "verdict_reception_unknown", ("COA reception means",)),
    Persona("types numbers instead of tapping", ("1", "1", "3", "2", "1", "01-01-2026", "1"),
            "verdict_allowed", ("you may work now",)),
    Persona("Dutch: three words, afgewezen", ("afgewezen",), "verdict_rejected",
            ("mag je niet werken",), lang="nl"),
    Persona("Dutch: waiting, weet datum niet", (*OK, "weet ik niet"),
            "verdict_date_unknown", ("Zonder de datum",), lang="nl"),
    Persona("Arabic: types 'they rejected me'", ("رفضوا طلبي",), "verdict_rejected", lang="ar"),
    Persona("Tigrinya: Dublin", ("answer:waiting", "answer:adult", "answer:dublin"),
            "verdict_dublin", ("BSN",), lang="ti"),
    Persona("Farsi: types 'waiting', safe country", ("منتظرم", "answer:adult", "answer:no",
                                                    "answer:yes"),
            "verdict_safe_country", lang="fa"),
    Persona("Turkish: types 'I appealed', may not stay", ("itiraz ettim", "hayır"),
            "verdict_appeal_no_stay", lang="tr"),
    Persona("Ukrainian: types 'from Ukraine'", ("я з України",), "verdict_tpd", lang="uk"),
    Persona("Somali: waiting, 7 months, W-document", (*OK, "06-05-2026", "haa"),
            "verdict_allowed", ("TWV",), lang="so"),
]


async def run(make_dialogue: MakeDialogue, persona: Persona) -> tuple[Chat, list[str]]:
    """The persona's whole check; returns the chat and every verdict step reached."""
    user = f"persona-{PERSONAS.index(persona):02d}"  # one person each, also on one database
    chat = Chat(await make_dialogue(today=persona.today), user=user)
    await chat.agree()
    if persona.lang != "en":
        await chat.payload(f"lang:{persona.lang}")
    await chat.say("can I work?")
    verdicts: list[str] = []
    for answer in persona.answers:
        if answer.startswith("answer:"):
            await chat.press(answer)
        else:
            await chat.say(answer)
        verdicts += [str(r.meta["step"]) for r in chat.last
                     if str(r.meta.get("step", "")).startswith("verdict_")]
    return chat, verdicts


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.name for p in PERSONAS])
async def test_each_persona_gets_its_verdict(
    make_dialogue: MakeDialogue, persona: Persona
) -> None:
    chat, verdicts = await run(make_dialogue, persona)
    assert verdicts == [persona.verdict], chat.transcript
    verdict = next(r for r in chat.last if r.meta.get("step") == persona.verdict)
    Chat(chat.dialogue, last=[verdict]).expect(*persona.says)
    # in the person's own language, from our text (not a machine translation or English)
    assert verdict.language == persona.lang and not verdict.machine_translated
    written = FLOW.steps[persona.verdict].payload.text.texts[persona.lang]  # type: ignore[union-attr]
    assert verdict.text.startswith(written.split("{")[0][:30]), (written, verdict.text)
    if persona.verdict not in ALLOWED:  # a person who may not (or not yet) work gets a way on
        assert {"cmd:coach", "cmd:menu"} & set(chat.buttons) or persona.verdict in (
            "verdict_not_yet", "verdict_needs_w_document"), chat.buttons


def test_the_table_covers_every_verdict_of_the_flow() -> None:
    from bot.content.store import load_directory
    from bot.settings import ROOT

    bundle, _ = load_directory(ROOT / "flows")
    verdicts = {s for s in bundle.flows["may_i_work"].steps if s.startswith("verdict_")}
    tested = {p.verdict for p in PERSONAS}
    assert verdicts - tested == {"verdict_track_dependent"}  # tested in test_eligibility.py
    assert len(PERSONAS) >= 20


async def test_nobody_who_may_not_work_is_told_they_may(make_dialogue: MakeDialogue) -> None:
    """The test that must never fail: every persona whose row is not ALLOWED, run again,
    never reaches an allowed verdict or reads that they may work now."""
    told = []
    for persona in PERSONAS:
        if persona.verdict in ALLOWED:
            continue
        chat, verdicts = await run(make_dialogue, persona)
        said = "\n".join(text for who, text in chat.transcript if who == "bot").casefold()
        allowed_words = FLOW.steps["verdict_allowed"].payload.text.texts[persona.lang]  # type: ignore[union-attr]
        if allowed_words.split(":")[0].casefold() in said:  # "Good news" in their language
            told.append(persona.name)
        if set(verdicts) & ALLOWED or "you may work now" in said or "je mag nu werken" in said:
            told.append(persona.name)
    assert told == []


def test_the_docs_show_every_persona_with_its_verdict() -> None:
    from bot.settings import ROOT

    docs = (ROOT / "docs" / "eligibility.md").read_text(encoding="utf-8")
    for persona in PERSONAS:
        assert f"| {persona.name} |" in docs and f"`{persona.verdict}`" in docs, persona.name


async def test_months_ago_is_read_late_and_said_to_be_an_estimate(
    make_dialogue: MakeDialogue,
) -> None:
    """Someone at 5 months and 3 weeks may say "6 months ago": counted from exactly 6 months
    back they would be told they may work. Half a month later is the latest reading."""
    chat = Chat(await make_dialogue(today=TODAY), user="estimate")
    await chat.agree()
    await chat.say("can I work?")
    for answer in OK:
        await chat.press(answer)
    await chat.say("6 months ago")
    chat.expect("That is an estimate", "June 21, 2026", "IND papers")
    await chat.press("answer:yes")
    verdicts = [r.meta.get("step") for r in chat.last]
    assert "verdict_not_yet" in verdicts and "verdict_allowed" not in verdicts
    chat.expect("from December 21, 2026")
