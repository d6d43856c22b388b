"""The answers that take a person through the "May I work?" check to its date question:
waiting for the IND, adult, no Dublin, not from a safe country, living in a COA location.
The personas in tests/dialogue/test_personas.py take every other way."""

from __future__ import annotations

from typing import Any

TO_DATE = ("answer:waiting", "answer:adult", "answer:no", "answer:no", "answer:coa_location")


async def to_date(chat: Any) -> None:
    """From the check's first question to its date question (a tests.support.dialog.Chat)."""
    for answer in TO_DATE:
        await chat.press(answer)
