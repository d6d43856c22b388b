"""The may-I-work check, end to end through the real flow and rules.yml, with a fixed today.

Table tests for the edges of the 6-month rule: exactly 6 months today, the day before,
leap years and month ends (add_months clamps 31 Aug + 6 months to 28 Feb).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat


async def eligibility(make_dialogue: MakeDialogue, today: date, applied: str) -> Chat:
    chat = Chat(await make_dialogue(today=today))
    await chat.agree()
    await chat.say("can I work?")
    chat.expect("18 years or older")
    await chat.press("Yes")
    chat.expect("On what date did you apply for asylum?")
    await chat.say(applied)
    chat.expect("Does COA give you reception")
    await chat.press("answer:coa_location")
    chat.expect("W-document")
    await chat.press("answer:yes")
    return chat


@pytest.mark.parametrize(
    ("today", "applied", "allowed", "work_from"),
    [
        (date(2026, 11, 28), "28-05-2026", True, None),  # exactly 6 months today
        (date(2026, 11, 27), "28-05-2026", False, "November 28, 2026"),  # the day before
        (date(2025, 2, 28), "29-08-2024", True, None),  # 29 Aug + 6 = 28 Feb (no 29th in 2025)
        (date(2025, 2, 27), "29-08-2024", False, "February 28, 2025"),
        (date(2024, 2, 29), "2023-08-29", True, None),  # leap day is a real day in 2024
        (date(2024, 2, 28), "29/8/2023", False, "February 29, 2024"),
        (date(2026, 2, 27), "31.08.2025", False, "February 28, 2026"),  # month end clamps
        (date(2026, 2, 28), "31 August 2025", True, None),
        (date(2026, 11, 28), "March 2026", True, None),  # day assumed: 1 March
        (date(2026, 8, 31), "March 2026", False, "September 1, 2026"),
    ],
)
async def test_six_month_rule_edges(
    make_dialogue: MakeDialogue, today: date, applied: str, allowed: bool, work_from: str | None
) -> None:
    chat = await eligibility(make_dialogue, today, applied)
    if allowed:
        chat.expect("Good news: you may work now", "Rules as of", "not a legal decision")
        chat.expect_not("Not yet")
    else:
        chat.expect("Not yet", f"from {work_from}", "Rules as of")
    # every eligibility answer names where to check and mentions the proposal as a proposal
    chat.expect("proposed", "NOT law")
    assert any("uwv.nl" in link.url for reply in chat.last for link in reply.links)


async def test_a_month_without_day_is_read_as_the_first_and_said_so(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue(today=date(2026, 11, 28)))
    await chat.agree()
    await chat.say("can I work?")
    await chat.press("Yes")
    await chat.say("maart 2026")
    chat.expect("1st of that month", "Does COA give you reception")


async def test_not_in_coa_reception_explains_the_uwv_condition(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.say("can I work?")
    await chat.press("Yes")
    await chat.say("01-01-2025")
    await chat.press("answer:no")
    await chat.press("answer:yes")
    chat.expect("COA")
    chat.expect_not("Good news")


async def test_under_18_gets_the_age_condition_and_no_date_question(
    make_dialogue: MakeDialogue,
) -> None:
    chat = Chat(await make_dialogue())
    await chat.agree()
    await chat.say("can I work?")
    await chat.press("No")
    chat.expect("18")
    chat.expect_not("On what date did you apply")


async def test_the_whole_check_in_dutch(make_dialogue: MakeDialogue) -> None:
    chat = Chat(await make_dialogue(today=date(2026, 11, 28)))
    await chat.agree()
    await chat.payload("lang:nl")
    chat.expect("Nederlands")
    await chat.say("can I work?")
    chat.expect("18 jaar of ouder")
    await chat.say("ja")
    await chat.say("15 juni 2026")
    await chat.press("answer:coa_location")
    await chat.press("answer:yes")
    chat.expect("Nog niet", "15 december 2026")
