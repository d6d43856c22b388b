"""The answers that take a person through the "May I work?" check to its date question:
waiting for the IND, adult, no Dublin, not from a safe country, living in a COA location.
The personas in tests/dialogue/test_personas.py take every other way."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.flows.model import Rule

TO_DATE = ("answer:waiting", "answer:adult", "answer:no", "answer:no", "answer:coa_location")


async def to_date(chat: Any) -> None:
    """From the check's first question to its date question (a tests.support.dialog.Chat)."""
    for answer in TO_DATE:
        await chat.press(answer)


def enacted_rules(start: date, today: date) -> tuple[Rule, ...]:
    """flows/rules.yml with the 2026 proposal put in force from `start` (`rules enact`)."""
    from bot.content.rules_admin import enact
    from bot.flows.loader import load_rules_text
    from bot.settings import ROOT

    text = (ROOT / "flows" / "rules.yml").read_text(encoding="utf-8")
    rules, issues = load_rules_text(enact(text, "work_wait_months", start, today=today),
                                    "rules.yml")
    assert not issues, issues
    return rules
