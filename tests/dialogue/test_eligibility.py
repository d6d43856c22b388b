"""The may-I-work check, end to end through the real flow and rules.yml, with a fixed today.

Table tests for the edges of the 6-month rule: exactly 6 months today, the day before,
leap years and month ends (add_months clamps 31 Aug + 6 months to 28 Feb); what a passed,
undecided planned change adds; the rules once an admin enacts the proposal. The people in
other situations (rejected, Dublin, minors, ...) are in test_personas.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.content.rules_admin import enact
from bot.db import repositories as repo
from bot.settings import ROOT
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import TO_DATE


async def check(chat: Chat, applied: str) -> Chat:
    """Agree, then the whole check: waiting, adult, no Dublin, not safe, in an azc, this
    application date, a W-document."""
    await chat.agree()
    await chat.say("can I work?")
    chat.expect("where is your asylum case now?")
    for answer in TO_DATE:
        await chat.press(answer)
    chat.expect("On what date did you apply for asylum?")
    await chat.say(applied)
    chat.expect("W-document")
    await chat.press("answer:yes")
    return chat


async def eligibility(make_dialogue: MakeDialogue, today: date, applied: str) -> Chat:
    return await check(Chat(await make_dialogue(today=today)), applied)


@pytest.mark.parametrize(
    ("today", "applied", "allowed", "work_from"),
    [
        (date(2026, 11, 28), "28-05-2026", True, "November 28, 2026"),  # exactly 6 months today
        (date(2026, 11, 27), "28-05-2026", False, "November 28, 2026"),  # the day before
        (date(2025, 2, 28), "29-08-2024", True, "February 28, 2025"),  # no 29 Feb in 2025
        (date(2025, 2, 27), "29-08-2024", False, "February 28, 2025"),
        (date(2024, 2, 29), "2023-08-29", True, "February 29, 2024"),  # leap day is real in 2024
        (date(2024, 2, 28), "29/8/2023", False, "February 29, 2024"),
        (date(2026, 2, 27), "31.08.2025", False, "February 28, 2026"),  # month end clamps
        (date(2026, 2, 28), "31 August 2025", True, "February 28, 2026"),
        (date(2026, 11, 28), "March 2026", True, "September 30, 2026"),  # 31 March assumed
        (date(2026, 9, 29), "March 2026", False, "September 30, 2026"),  # never a day early
    ],
)
async def test_six_month_rule_edges(
    make_dialogue: MakeDialogue, today: date, applied: str, allowed: bool, work_from: str
) -> None:
    chat = await eligibility(make_dialogue, today, applied)
    if allowed:
        chat.expect("Good news: you may work now", work_from, "not a legal decision")
        chat.expect_not("Not yet")
    else:
        chat.expect("Not yet", f"from {work_from}", "not a legal decision")
    # the footer says how current the information is, never "checked" on a day nobody looked
    chat.expect("Information as of February 2026")
    chat.expect_not("Checked:")
    assert any("uwv.nl" in link.url for reply in chat.last for link in reply.links)


async def test_the_planned_change_is_told_before_and_after_its_date(
    make_dialogue: MakeDialogue,
) -> None:
    before = await eligibility(make_dialogue, date(2026, 3, 1), "01-01-2026")
    before.expect("Not yet", "A change is planned from June 12, 2026", "3 months instead of 6")
    before.expect_not("cannot confirm")
    after = await check(Chat(await make_dialogue(today=date(2026, 12, 6)), user="person-0002"),
                        "01-01-2026")
    after.expect("Good news: you may work now", "A change was planned from June 12, 2026",
                 "may not work at all", "cannot confirm that this change is in force")
    notice = next(r for r in after.last if r.meta.get("notices"))
    assert notice.meta["notices"] == ["work_wait_months"]


async def test_a_month_without_day_is_read_as_the_last_and_said_so(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue(today=date(2026, 11, 28)))
    await chat.agree()
    await chat.say("can I work?")
    for answer in TO_DATE:
        await chat.press(answer)
    await chat.say("maart 2026")
    chat.expect("last day of that month", "W-document")


async def test_the_whole_check_in_dutch(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(today=date(2026, 11, 28)))
    await chat.agree()
    await chat.payload("lang:nl")
    chat.expect("Nederlands")
    await chat.say("can I work?")
    chat.expect("hoe staat je asielzaak nu?")
    await chat.say("ik wacht nog op de IND")  # typed, not tapped
    chat.expect("Hoe oud ben je?")
    await chat.say("1")
    await chat.say("nee")
    await chat.say("nee")
    await chat.say("azc")
    await chat.say("15 juni 2026")
    await chat.press("answer:yes")
    chat.expect("Nog niet", "15 december 2026", "Informatie van februari 2026")
    chat.expect("Er was een wijziging gepland vanaf 12 juni 2026")


async def test_once_the_proposal_is_enacted_nobody_gets_a_computed_date(
    make_dialogue: MakeDialogue,
) -> None:
    """After `rules enact` the wait depends on the procedure, which the bot cannot know: no
    date for anyone, and every answer that states the wait says the new value with its
    caveat (the employer page too: test_employer_page.py)."""
    dialogue = await make_dialogue(today=date(2026, 12, 6))
    text = (ROOT / "flows" / "rules.yml").read_text(encoding="utf-8")
    enacted = enact(text, "work_wait_months", date(2026, 12, 1), today=date(2026, 12, 6))
    async with dialogue.s.sessions() as session, session.begin():
        await repo.save_content_version(session, kind="rules", key="rules", body=enacted,
                                        created_by="test")
    await dialogue.s.content.reload(dialogue.s.sessions, dialogue.s.settings)
    chat = await check(Chat(dialogue), "01-11-2026")
    steps = [r.meta.get("step") for r in chat.last]
    assert "verdict_track_dependent" in steps and "verdict_allowed" not in steps, steps
    chat.expect("depends on your asylum procedure")
    chat.expect_not("Good news")
    await chat.payload("intent:work_permit/cost_conditions")
    chat.expect("for at least 3 months", "For people with a higher chance", "may not work at all")


@pytest.mark.parametrize(("today", "notice"), [
    (date(2026, 3, 1), "A change is planned from June 12, 2026"),
    (date(2026, 12, 6), "A change was planned from June 12, 2026"),
])
async def test_an_faq_answer_that_states_the_wait_carries_the_planned_change(
    make_dialogue: MakeDialogue, today: date, notice: str
) -> None:
    chat = Chat(await make_dialogue(today=today))
    await chat.agree()
    await chat.payload("intent:work_permit/cost_conditions")
    chat.expect("for at least 6 months", notice, "3 months instead of 6")
    # a figure past its review date says so: the minimum wage of 1 January 2026
    await chat.payload("intent:labour_rights/minimum_wage")
    chat.expect("14.71")
    if today > date(2026, 6, 30):
        chat.expect("last verified in February 2026", "may be out of date")
    else:
        chat.expect_not("may be out of date")
