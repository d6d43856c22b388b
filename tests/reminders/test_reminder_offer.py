"""Offering a reminder at the end of the may-I-work check, in the person's language.

The conversations go through the real Dialogue, the real flow and the real catalogs; the
reminder rows are then read from the database (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.content.strings import Strings
from bot.flows.render import format_value
from bot.reminders.models import Reminder
from tests.dialogue.conftest import TODAY, MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import to_date

STRINGS = Strings.load()
WORK_FROM = date(2026, 12, 15)  # applied 15 June 2026 + 6 months; TODAY is 28 Nov 2026


async def check(chat: Chat, applied: str, lang: str | None = None) -> None:
    """Run the may-I-work check up to the reminder question."""
    await chat.agree()
    if lang is not None:
        await chat.payload(f"lang:{lang}")
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say(applied)
    await chat.press("answer:yes")


async def reminders(chat: Chat) -> list[Reminder]:
    async with chat.dialogue.s.sessions() as session:
        return list(await session.scalars(select(Reminder).order_by(Reminder.id)))


def labels(chat: Chat) -> dict[str, str]:
    return {b.payload: b.label for r in chat.last for b in r.buttons}


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "Shall I send you a message on"), ("ar", "هل تريد أن أرسل لك رسالة في"),
     ("ti", "መልእኽቲ ክሰደልኩም ድየ")],
)
async def test_a_future_work_date_is_offered_and_scheduled_in_the_persons_language(
    make_dialogue: MakeDialogue, lang: str, question: str
) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026", lang)
    day = format_value(WORK_FROM, lang)
    assert question in chat.last[-1].text and day in chat.last[-1].text
    assert day in labels(chat)["answer:remind_work"]
    assert await reminders(chat) == []  # nothing is stored before the person asks

    await chat.press("answer:remind_work")
    [stored] = await reminders(chat)
    assert (stored.kind, stored.status, stored.language) == ("work_allowed", "pending", lang)
    assert stored.due_on == WORK_FROM
    # 09:00 in Amsterdam (winter time, UTC+1)
    assert stored.due_at == datetime(2026, 12, 15, 8, 0, tzinfo=UTC)
    confirm = chat.last[0]
    assert confirm.text.startswith(STRINGS.t("reminder.scheduled", lang, date=day))
    assert confirm.language == lang and "/forget" in confirm.text
    assert [b.payload for b in confirm.buttons] == [f"remind:cancel:{stored.id}"]
    assert confirm.buttons[0].label == STRINGS.t("reminder.cancel", lang)
    # and the flow goes on to its last question
    assert "flow:jobs" in chat.buttons


async def test_no_thanks_stores_nothing_and_the_check_goes_on(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026")
    await chat.press("answer:no_reminder")
    chat.expect("What would you like to do now?")
    assert await reminders(chat) == []


async def test_a_typed_answer_counts_like_the_button(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026")
    await chat.say("1")
    chat.expect("I will send you a message on December 15, 2026")
    assert [r.kind for r in await reminders(chat)] == ["work_allowed"]


async def test_work_allowed_now_offers_the_twv_check_after_the_legal_term(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "01-03-2026")
    chat.expect("you may work now", "UWV has 5 weeks to decide")
    assert "answer:remind_work" not in chat.buttons
    await chat.press("Yes, remind me in 5 weeks")
    [stored] = await reminders(chat)
    assert stored.kind == "twv_check" and stored.params == {"weeks": 5}
    assert stored.due_on == date(2027, 1, 2)  # 28 Nov 2026 + 5 weeks


async def test_asking_again_moves_the_one_pending_reminder(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026")
    await chat.press("answer:remind_work")
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("20-06-2026")
    await chat.press("answer:yes")
    await chat.press("answer:remind_work")
    [stored] = await reminders(chat)
    assert stored.due_on == date(2026, 12, 20)


async def test_the_cancel_button_cancels_once(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026")
    await chat.press("answer:remind_work")
    [stored] = await reminders(chat)
    await chat.payload(f"remind:cancel:{stored.id}")
    chat.expect("I cancelled the reminder")
    [cancelled] = await reminders(chat)
    assert cancelled.status == "cancelled"
    await chat.payload(f"remind:cancel:{stored.id}")
    chat.expect("no planned reminder")
    await chat.payload("remind:cancel:not-a-number")
    chat.expect("no planned reminder")


async def test_someone_elses_reminder_cannot_be_cancelled(make_dialogue: MakeDialogue) -> None:
    dialogue = await make_dialogue()
    ana = Chat(dialogue, user="ana")
    await check(ana, "15-06-2026")
    await ana.press("answer:remind_work")
    [stored] = await reminders(ana)
    bob = Chat(dialogue, user="bob")
    await bob.agree()
    await bob.payload(f"remind:cancel:{stored.id}")
    bob.expect("no planned reminder")
    assert [r.status for r in await reminders(ana)] == ["pending"]


async def test_forget_deletes_the_reminder_with_everything_else(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await check(chat, "15-06-2026")
    await chat.press("answer:remind_work")
    assert len(await reminders(chat)) == 1
    await chat.say("/forget")
    await chat.press("cmd:forget_yes")
    async with chat.dialogue.s.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 0


async def test_a_date_that_came_while_the_question_waited_sets_nothing(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue(today=TODAY))
    await check(chat, "15-06-2026")
    later = Chat(await make_dialogue(today=date(2026, 12, 16)), user=chat.user)
    later.last = chat.last
    await later.press("answer:remind_work")
    later.expect("That day has already come (December 15, 2026)")
    assert await reminders(later) == []
