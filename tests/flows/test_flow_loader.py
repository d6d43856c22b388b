"""Reading content with line numbers, schema errors at the right line, and the writer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ContentError
from bot.flows.loader import (
    load_answers_text,
    load_bundle,
    load_flow_text,
    load_keywords_text,
    load_rules_text,
)
from bot.flows.model import AskSpec, If, LocalText, Say
from bot.flows.validation import check_bundle
from bot.flows.writer import dump_answers, dump_flow, dump_keywords, dump_rules
from tests.flows.flow_fixtures import (
    ANSWERS,
    ELIGIBILITY,
    INTENTS,
    KEYWORDS,
    REQUIRED,
    RULES,
    bundle_from,
)


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing `fragment`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_fixture_flow_loads_with_step_lines() -> None:
    flow, issues = load_flow_text(ELIGIBILITY, "flows/eligibility.yml")
    assert issues == []
    assert flow is not None
    assert list(flow.steps)[:3] == ["ask_date", "ask_reception", "decide"]
    assert flow.steps["decide"].line == line_of(ELIGIBILITY, "id: decide")
    decide = flow.steps["decide"].payload
    assert isinstance(decide, If)
    assert decide.branches[2].when is None
    assert decide.branches[2].line == line_of(ELIGIBILITY, "- else: compute")
    allowed = flow.steps["allowed"].payload
    assert isinstance(allowed, Say) and allowed.text is not None
    assert allowed.text.unreviewed == {"nl"}
    assert allowed.sources[0].verified == date(2026, 11, 28)


def test_broken_yaml_is_an_issue_with_its_line_not_an_exception() -> None:
    text = "flow: broken\nsteps:\n  - id: a\n    say: {text: {en: 'hi'}\n  - id: b\n"
    flow, issues = load_flow_text(text, "flows/broken.yml")
    assert flow is None
    assert len(issues) == 1
    assert issues[0].file == "flows/broken.yml"
    assert issues[0].line in (4, 5)
    assert "YAML syntax error" in str(issues[0])
    assert str(issues[0]).startswith(f"flows/broken.yml:{issues[0].line}: ")


def test_tab_indentation_and_non_mapping_files() -> None:
    _, issues = load_flow_text("flow: x\nsteps:\n\t- id: a\n", "x.yml")
    assert issues and issues[0].line == 3
    _, issues = load_flow_text("- just\n- a list\n", "x.yml")
    assert "must be a YAML mapping" in issues[0].message
    _, issues = load_flow_text("flow: a\nsteps:\n  - id: b\n    say: {text: {1: x}}\n", "x.yml")
    assert issues[0].line == 4 and "a key must be text, not 1" in issues[0].message
    _, issues = load_flow_text("flow: a\nsteps:\n  - id: b\n    end: 3\n", "x.yml")
    assert issues[0].line == 4 and "`end` takes nothing" in issues[0].message
    _, issues = load_flow_text("flow: !!python/object/apply:os.system [ls]\n", "x.yml")
    assert "could not determine a constructor" in issues[0].message


def test_unknown_goto_reports_the_goto_line() -> None:
    text = """\
flow: jumps
title: {en: "J", nl: "J"}
steps:
  - id: first
    say: {text: {en: "Hi", nl: "Hoi"}}
  - id: jump
    goto: nowhere
  - id: last
    end: {}
"""
    bundle, issues = bundle_from(text)
    assert issues == []
    found = [i for i in check_bundle(bundle, REQUIRED, INTENTS) if "nowhere" in i.message]
    assert len(found) == 1
    assert (found[0].file, found[0].line) == ("flows/jumps.yml", 7)
    assert (found[0].flow, found[0].step) == ("jumps", "jump")
    assert str(found[0]).startswith("flows/jumps.yml:7: jumps/jump: goes to unknown step")


def test_schema_errors_point_at_the_offending_key() -> None:
    text = """\
flow: shape
steps:
  - id: first
    say:
      txt: {en: "Hi"}
  - id: second
    ask:
      slot: x
      type: colour
      text: {en: "?"}
  - id: Third
    end:
"""
    flow, issues = load_flow_text(text, "flows/shape.yml")
    assert flow is None
    by_line = {i.line: str(i) for i in issues}
    assert "'txt' was unexpected" in by_line[5]
    assert "shape/first" in by_line[5]
    assert "colour" in by_line[9]
    assert "wrong form" in by_line[11]


def test_bad_if_branch_gets_a_readable_message() -> None:
    text = "flow: f\nsteps:\n  - id: a\n    if:\n      - when: 'x'\n      - else: a\n"
    _, issues = load_flow_text(text, "f.yml")
    assert len(issues) == 1
    assert issues[0].line == 5
    assert "either {when: <condition>, goto: <step>} or {else: <step>}" in issues[0].message


def test_yes_no_and_dates_stay_strings_and_duplicate_keys_are_reported() -> None:
    keywords, issues = load_keywords_text(
        "keywords:\n  yes: {en: [yes, on]}\n  no: {en: [no, off]}\n", "keywords.yml"
    )
    assert issues == []
    assert keywords.words["yes"]["en"] == ("yes", "on")
    assert keywords.words["no"]["en"] == ("no", "off")
    _, issues = load_keywords_text(
        "keywords:\n  yes: {en: [yes]}\n  yes: {nl: [ja]}\n", "keywords.yml"
    )
    assert [(i.line, "twice" in i.message) for i in issues] == [(3, True)]


def test_rules_and_answers_load() -> None:
    rules, issues = load_rules_text(RULES, "rules.yml")
    assert issues == []
    assert [r.status for r in rules] == ["in_force", "proposed"]
    assert rules[1].valid_from == date(2027, 1, 1)
    intent, answers, issues = load_answers_text(ANSWERS, "answers/documents.yml")
    assert issues == [] and intent == "documents"
    assert answers["documents/bsn"].buttons[0].payload == "flow:eligibility"
    assert answers["documents/bsn"].line == line_of(ANSWERS, "documents/bsn:")


def test_a_date_that_does_not_exist_is_an_issue() -> None:
    text = RULES.replace('"2027-01-01"', '"2027-02-30"')
    _, issues = load_rules_text(text, "rules.yml")
    assert len(issues) == 1 and "not a real date" in issues[0].message


def test_round_trip_flow() -> None:
    flow, _ = load_flow_text(ELIGIBILITY, "flows/eligibility.yml")
    assert flow is not None
    dumped = dump_flow(flow)
    again, issues = load_flow_text(dumped, "console")
    assert issues == []
    assert again == flow
    assert dump_flow(again) == dumped


def test_round_trip_keeps_tricky_values_and_per_text_unreviewed() -> None:
    text = """\
flow: tricky
version: 2
title: {en: "T", nl: "T"}
steps:
  - id: q
    ask:
      slot: answer_value
      type: choice
      text: {en: "Yes: \\"no\\" or #1?\\nSecond line", nl: "Ja?", unreviewed: [nl]}
      hint: {en: "Pick one", nl: "Kies", ar: "اختر", unreviewed: [ar]}
      options:
        - {value: "no", label: {en: "no", nl: "nee"}}
        - {value: 2025-01-01, label: {en: "a date", nl: "een datum"}}
        - {value: 7, label: {en: "seven", nl: "zeven"}}
  - id: s
    set: {count: 3, flag: true, when_done: "today()"}
  - id: j
    jobs: {near: municipality, radius_km: 25}
    next: e
  - id: e
    end:
"""
    flow, issues = load_flow_text(text, "flows/tricky.yml")
    assert issues == [] and flow is not None
    ask = flow.steps["q"].payload
    assert isinstance(ask, AskSpec)
    assert [o.value for o in ask.options] == ["no", "2025-01-01", "7"]
    assert ask.text.unreviewed == {"nl"} and ask.hint is not None
    assert ask.hint.unreviewed == {"ar"}
    again, issues = load_flow_text(dump_flow(flow), "console")
    assert issues == [] and again == flow


def test_round_trip_answers_rules_keywords() -> None:
    _, answers, _ = load_answers_text(ANSWERS, "a.yml")
    _, again, issues = load_answers_text(dump_answers("documents", answers), "a.yml")
    assert issues == [] and again == answers
    rules, _ = load_rules_text(RULES, "rules.yml")
    assert load_rules_text(dump_rules(rules), "rules.yml") == (rules, [])
    keywords, _ = load_keywords_text(KEYWORDS, "keywords.yml")
    assert keywords.unreviewed == {"ar", "tr", "ru", "ti"}
    assert load_keywords_text(dump_keywords(keywords), "keywords.yml") == (keywords, [])


def test_load_bundle_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    (tmp_path / "answers").mkdir()
    (tmp_path / "flows" / "eligibility.yml").write_text(ELIGIBILITY, encoding="utf-8")
    (tmp_path / "flows" / "wrong_name.yml").write_text(
        ELIGIBILITY.replace("flow: eligibility", "flow: other"), encoding="utf-8"
    )
    (tmp_path / "answers" / "documents.yml").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "rules.yml").write_text(RULES, encoding="utf-8")
    bundle, issues = load_bundle(tmp_path)
    assert set(bundle.flows) == {"eligibility", "other"}
    assert bundle.answer_for("documents/bsn") is not None
    messages = [str(i) for i in issues]
    assert any("differs from the file name" in m and "wrong_name.yml" in m for m in messages)
    assert any(m.startswith(f"{tmp_path.as_posix()}/keywords.yml:1:") for m in messages)


def test_bundle_helpers() -> None:
    bundle, issues = bundle_from(ELIGIBILITY)
    assert issues == []
    assert bundle.flow_for_intent("can_i_work/with_dates") is bundle.flows["eligibility"]
    assert bundle.flow_for_intent("documents") is None
    exact, base = bundle.answer_for("documents/bsn"), bundle.answer_for("documents/w_document")
    assert exact is not None and exact.key == "documents/bsn"
    assert base is not None and base.key == "documents"
    assert bundle.answer_for("work_permit") is None
    assert bundle.rule_value("work_wait_months", date(2025, 1, 1)) == 6
    assert bundle.rule_value("work_wait_months", date(2027, 6, 1)) == 6  # proposed never applies
    assert bundle.rules_as_of() == date(2026, 11, 1)  # the month of the oldest verification
    ended = RULES.replace("valid_to: null", 'valid_to: "2024-12-31"', 1)
    ended_bundle, _ = bundle_from(ELIGIBILITY, rules=ended)
    assert ended_bundle.rule_value("work_wait_months", date(2024, 12, 31)) == 6  # inclusive
    with pytest.raises(ContentError, match="no rule 'work_wait_months' is in force"):
        ended_bundle.rule_value("work_wait_months", date(2025, 1, 1))
    assert LocalText({"en": "a", "nl": "b"}).get("fa-AF") == ("a", "en")
    assert LocalText({"nl": "b"}).get("ti") == ("b", "nl")
