"""Every number in an answer comes from the rules data or the answer's own sources (the
definition is in number_provenance.py), in every language and digit script; and the check
finds an invented number."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from bot.content.store import load_directory
from bot.flows.model import Answer, LocalText, Rule, Source
from bot.settings import ROOT
from tests.content.number_provenance import numbers_in, unsourced_numbers


def source_notes() -> dict[str, dict[str, str]]:
    """answer key -> source URL -> note, read from flows/answers/*.yml."""
    notes: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "flows" / "answers").glob("*.yml")):
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, answer in data["answers"].items():
            notes[key] = {s["url"]: s.get("note", "") for s in answer.get("sources", [])}
    return notes


def test_every_number_in_every_answer_is_sourced() -> None:
    bundle, issues = load_directory(ROOT / "flows")
    assert not issues
    problems = unsourced_numbers(bundle.answers.values(), bundle.rules, source_notes())
    assert not problems, "\n".join(str(p) for p in problems)
    # the check looked at real numbers: these answers have some, in every script they use
    texts = bundle.answers["labour_rights/exploitation"].text.texts
    assert 112 in numbers_in(texts["en"]) and 112 in numbers_in(texts["fa"])


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("6 months", [6]), ("٦ أشهر", [6]), ("۶ ماه", [6]), ("١٢ يونيو ٢٠٢٦", [12, 2026]),
     ("€14.71 from 21", [14, 71, 21]), ("፳፬ ሰሙን", [24]), ("፲፱፻፹", [1980]),
     ("፳፻፳፮", [2026]), ("፻፼", [1_000_000]), ("no numbers", []), ("007", [7])],
)
def test_numbers_are_read_in_every_script(text: str, numbers: list[int]) -> None:
    assert numbers_in(text) == numbers


RULES = (Rule("work_wait_months", 6, "in_force", "months", None, None),
         Rule("cap", 24, "ended", "weeks", None, date(2023, 11, 29)))
UWV = "https://www.uwv.nl/x"


def answer(texts: dict[str, str], *sources: Source) -> Answer:
    return Answer("work_permit/how_long", LocalText(texts), sources)


def test_the_checker_finds_an_invented_number() -> None:
    made_up = answer({"en": "UWV decides within 8 weeks.", "ar": "تقرر UWV خلال ٨ أسابيع."},
                     Source(UWV, "UWV – Werkvergunning"))
    found = unsourced_numbers([made_up], RULES, {})
    assert [(p.language, p.number) for p in found] == [("ar", 8), ("en", 8)]
    assert "8 is not in rules.yml nor in the answer's sources" in str(found[0])


def test_numbers_from_rules_titles_and_notes_are_allowed() -> None:
    sourced = answer(
        {"en": "After 6 months (the 24-week cap ended on 29 Nov 2023), UWV has 5 weeks; "
               "see the news of 3 Nov 2025.",
         "fa": "پس از ۶ ماه، UWV پنج هفته وقت دارد: ۵ هفته."},
        Source(UWV, "UWV – news (3 Nov 2025)"))
    notes = {sourced.key: {UWV: "numbers: 5 — weeks UWV has to decide"}}
    assert unsourced_numbers([sourced], RULES, notes) == []
    # without the note, 5 has no source; a URL or a note's explanation never counts
    assert {p.number for p in unsourced_numbers([sourced], RULES, {})} == {5}
    notes = {sourced.key: {UWV: "see page 5 — numbers: 5"}}
    assert {p.number for p in unsourced_numbers([sourced], RULES, notes)} == {5}
    in_url = answer({"en": "It takes 2024 days."}, Source("https://x.nl/2024", "x"))
    assert [p.number for p in unsourced_numbers([in_url], RULES, {})] == [2024]


def test_the_real_notes_are_read() -> None:
    notes = source_notes()
    assert notes["work_permit/how_long"]["http://www.euraxess.nl/employers/werkvergunning/"
                                         "aanvraagprocedure"].startswith("numbers: 5 — ")
