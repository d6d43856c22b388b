"""No text writes a rule's value itself: answers, flow steps, glossary lines and the employer's
page take them from rules.yml, so `rules enact` (or a new minimum wage) changes all of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from bot.content.employer import load_employer_page
from bot.content.glossary import glossary_of
from bot.content.store import load_directory, read_directory
from bot.flows.engine import values_of
from bot.flows.model import ContentBundle, LocalText
from bot.flows.render import render
from bot.flows.rule_texts import hard_coded
from bot.flows.validation import _texts_of
from bot.settings import ROOT
from tests.support.eligibility import enacted_rules

TODAY = date(2026, 12, 6)


def every_text(bundle: ContentBundle) -> Iterator[tuple[str, LocalText]]:
    for key, answer in bundle.answers.items():
        yield f"answer {key}", answer.text
    for flow in bundle.flows.values():
        for step in flow.steps.values():
            for text, _line in _texts_of(step):
                yield f"flow {flow.id}/{step.id}", text
    files = read_directory(ROOT / "flows")
    glossary, _ = glossary_of({f.path: t for f, t in files.items()}, bundle.answers, ["en", "nl"])
    for term in glossary.terms:
        yield f"glossary {term.id}", term.text
    page = load_employer_page()
    for kind, texts in page.body:
        for text in texts:
            yield f"employer page {kind}", LocalText(dict(text))


def test_no_text_writes_a_rule_value() -> None:
    bundle, issues = load_directory(ROOT / "flows")
    assert not issues
    found = [(where, h.lang, h.number, h.rule_ids) for where, text in every_text(bundle)
             for h in hard_coded(text, bundle)]
    assert found == []


@pytest.mark.parametrize("written", [
    "You may work after 6 months.", "Je mag werken na 6 maanden.", "UWV has 5 weeks.",
    "You must be 18 or older.", "It was € 14,71 an hour.", "€14.71 gross",
])
def test_the_check_finds_a_written_value(written: str) -> None:
    bundle, _ = load_directory(ROOT / "flows")
    assert hard_coded(LocalText({"en": written}), bundle)


@pytest.mark.parametrize("fine", [
    "Step 3 of 4.", "I will ask 4 short questions.", "since 12 June 2026", "on 29-11-2023",
    "about 40 azc's", "after {work_wait_months} months",
])
def test_dates_counts_and_placeholders_are_not_rule_values(fine: str) -> None:
    bundle, _ = load_directory(ROOT / "flows")
    assert hard_coded(LocalText({"en": fine}), bundle) == []


def test_enacting_the_proposal_changes_every_answer_that_states_the_wait() -> None:
    bundle, _ = load_directory(ROOT / "flows")
    enacted = ContentBundle(bundle.flows, bundle.answers,
                            enacted_rules(date(2026, 12, 1), TODAY), bundle.keywords)
    stating = [a for a in bundle.answers.values() if "{work_wait_months}" in a.text.texts["en"]]
    assert len(stating) >= 5  # can_i_work, who_applies, cost_conditions, internship, ...
    for answer in stating:
        for lang in answer.text.texts:
            before = render(answer.text, lang, values_of(bundle, TODAY))[0]
            after = render(answer.text, lang, values_of(enacted, TODAY))[0]
            assert before != after and "3" in after.replace(before, ""), (answer.key, lang)
