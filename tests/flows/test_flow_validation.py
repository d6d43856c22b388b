"""One small flow per semantic check; each issue names the file, line, flow and step."""

from __future__ import annotations

import pytest

from bot.flows.content_checks import check_answers
from bot.flows.issues import ContentIssue
from bot.flows.model import Answer, ContentBundle, LocalText
from bot.flows.validation import check_bundle
from tests.flows.flow_fixtures import ELIGIBILITY, INTENTS, REQUIRED, RULES, bundle_from

HEAD = 'flow: t\ntitle: {en: "T", nl: "T"}\nstart_intents: [help]\nsteps:\n'
SAY = '    say: {text: {en: "Hi", nl: "Hoi"}}\n'


def check(steps: str, head: str = HEAD, **files: str) -> list[ContentIssue]:
    bundle, issues = bundle_from(head + steps, ELIGIBILITY, **files)
    assert issues == []
    return check_bundle(bundle, REQUIRED, INTENTS)


def only(issues: list[ContentIssue], fragment: str) -> ContentIssue:
    found = [i for i in issues if fragment in i.message]
    assert len(found) == 1, [str(i) for i in issues]
    return found[0]


def test_the_fixture_content_is_clean() -> None:
    bundle, issues = bundle_from(ELIGIBILITY)
    assert issues == []
    assert check_bundle(bundle, REQUIRED, INTENTS) == []


def test_unknown_targets_of_next_and_if() -> None:
    issues = check(
        "  - id: a\n" + SAY + "    next: bb\n"
        "  - id: b\n    if:\n      - when: \"1 == 1\"\n        goto: cc\n      - else: a\n"
    )
    next_issue = only(issues, "'bb'")
    assert (next_issue.line, next_issue.step) == (7, "a")
    assert "did you mean 'b'?" in str(next_issue)
    assert only(issues, "'cc'").line == 10


def test_unreachable_step() -> None:
    issues = check("  - id: a\n    end: {}\n  - id: island\n" + SAY)
    issue = only(issues, "never be reached")
    assert (issue.step, issue.line) == ("island", 7)
    assert str(issue) == (
        "flows/t.yml:7: t/island: step can never be reached from the first step ('a') "
        "(point a next/goto/if branch at it, or remove it)"
    )


def test_reachability_follows_goto_if_and_ask_order() -> None:
    issues = check(
        "  - id: q\n    ask: {slot: s, type: text, text: {en: '?', nl: '?'}}\n"
        "  - id: branch\n    if:\n      - when: \"s == 'x'\"\n        goto: far\n"
        "      - else: done\n"
        "  - id: done\n    end:\n"
        "  - id: far\n    goto: done\n"
    )
    assert issues == []


def test_zero_or_several_actions() -> None:
    issues = check("  - id: a\n    next: b\n  - id: b\n" + SAY + "    end: {}\n")
    assert only(issues, "no action").step == "a"
    several = only(issues, "several actions")
    assert (several.step, several.line) == ("b", 7)
    assert "say, end" in several.message


def test_duplicate_step_ids() -> None:
    issues = check("  - id: a\n" + SAY + "  - id: a\n    end: {}\n")
    assert only(issues, "used twice").line == 7


def test_unknown_intents() -> None:
    head = HEAD.replace("[help]", "[help, can_i_wrk]")
    issues = check("  - id: a\n    say: {answer: documents/visa}\n", head=head)
    assert "did you mean 'can_i_work'?" in str(only(issues, "'can_i_wrk'"))
    assert only(issues, "'documents/visa' is not a known intent").step == "a"


def test_answer_reference_needs_a_written_answer() -> None:
    issues = check("  - id: a\n    say: {answer: work_permit}\n")
    assert "answers/work_permit.yml" in str(only(issues, "no FAQ answer"))
    assert check("  - id: a\n    say: {answer: documents/bsn}\n") == []


def test_unknown_slot_in_expression_and_placeholder() -> None:
    issues = check(
        "  - id: q\n    ask: {slot: start, type: date, text: {en: 'When?', nl: 'Wanneer?'}}\n"
        "  - id: s\n    set: {until: \"add_months(strat, 6)\"}\n"
        "  - id: a\n    say: {text: {en: 'From {until} {today}', nl: 'Vanaf {untill}'}}\n"
    )
    assert "did you mean 'start'?" in str(only(issues, "'strat'"))
    assert only(issues, "'untill'").step == "a"
    assert not [i for i in issues if "'until'" in i.message or "'today'" in i.message]


def test_missing_translation() -> None:
    issues = check("  - id: a\n    say: {text: {en: 'Hi', ar: 'مرحبا'}}\n")
    issue = only(issues, "no translation for nl")
    assert (issue.step, issue.line) == ("a", 6)
    title = check("  - id: a\n" + SAY, head=HEAD.replace(', nl: "T"', ""))
    assert only(title, "title has no translation for nl").line == 1


def test_invalid_expression() -> None:
    issues = check(
        "  - id: a\n    if:\n      - when: \"__import__('os')\"\n        goto: b\n"
        "      - else: b\n  - id: b\n    end:\n"
    )
    issue = only(issues, "__import__")
    assert (issue.line, issue.step) == (7, "a")


def test_choice_without_options_and_options_elsewhere() -> None:
    """A choice needs options; a date or text question may have extra answers as buttons
    ("I don't know"); a yes_no question has its own two buttons and no options."""
    issues = check(
        "  - id: a\n    ask: {slot: c, type: choice, text: {en: '?', nl: '?'}}\n"
        "  - id: b\n    ask:\n      slot: d\n      type: text\n      text: {en: '?', nl: '?'}\n"
        "      options: [{value: dont_know, label: {en: X, nl: X}}]\n"
        "  - id: e\n    ask:\n      slot: f\n      type: yes_no\n      text: {en: '?', nl: '?'}\n"
        "      options: [{value: x, label: {en: X, nl: X}}]\n"
    )
    assert only(issues, "choice has no options").step == "a"
    assert only(issues, "yes_no question takes no options").step == "e"
    assert not [i for i in issues if i.step == "b"]


def test_if_without_else_and_else_not_last() -> None:
    issues = check(
        "  - id: a\n    if:\n      - when: \"1 == 1\"\n        goto: b\n"
        "  - id: b\n    if:\n      - else: c\n      - when: \"1 == 2\"\n        goto: c\n"
        "  - id: c\n    end:\n"
    )
    assert only(issues, "has no `else`").step == "a"
    assert only(issues, "after `else`").step == "b"


def test_unknown_rule() -> None:
    issues = check("  - id: a\n    set: {n: \"rule('work_wait_month')\"}\n")
    assert "did you mean 'work_wait_months'?" in str(only(issues, "not in rules.yml"))


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ("menu", "must look like"),
        ("cmd:dance", "command must be one of"),
        ("intent:weather", "unknown intent"),
        ("flow:nope", "unknown flow"),
        ("lang:Dutch", "not a language code"),
        ("x:y", "unknown prefix"),
        ("answer:" + "x" * 60, "longer than 64 bytes"),
    ],
)
def test_bad_button_payloads(payload: str, fragment: str) -> None:
    steps = (
        "  - id: a\n    say:\n      text: {en: 'Hi', nl: 'Hoi'}\n"
        f"      buttons: [{{label: {{en: B, nl: B}}, payload: '{payload}'}}]\n"
    )
    assert only(check(steps), fragment).line == 8


def test_good_button_payloads() -> None:
    steps = (
        "  - id: a\n    say:\n      text: {en: 'Hi', nl: 'Hoi'}\n      buttons:\n"
        + "".join(
            f"        - {{label: {{en: B, nl: B}}, payload: '{p}'}}\n"
            for p in ("cmd:menu", "intent:documents/bsn", "flow:eligibility", "lang:ti",
                      "answer:yes", "flow:t")
        )
    )
    assert check(steps) == []


def test_date_and_number_bounds() -> None:
    issues = check(
        "  - id: a\n    ask: {slot: d, type: date, text: {en: '?', nl: '?'}, min: '2025-02-30'}\n"
        "  - id: b\n    ask: {slot: n, type: number, text: {en: '?', nl: '?'}, max: lots}\n"
    )
    assert only(issues, "is not a date").step == "a"
    assert only(issues, "is not a number").step == "b"


def test_answer_rule_and_keyword_checks() -> None:
    answers = (
        "intent: documents\nanswers:\n  documents:\n    text: {en: 'W {name}'}\n"
        "    buttons: [{label: {en: X, nl: X}, payload: 'cmd:nope'},\n"
        "              {label: {en: P, nl: P}, payload: 'intent:documents/passport'},\n"
        "              {label: {en: V, nl: V}, payload: 'intent:documents/visa'}]\n"
        "  documents/passport:\n    text: {en: 'P', nl: 'P'}\n"
    )
    rules = RULES.replace("status: proposed", "status: in_force").replace(
        "valid_from: \"2027-01-01\"", "valid_from: \"2027-01-01\"\n    valid_to: \"2026-01-01\""
    ).replace("    valid_to: null\n    summary: {en: \"A proposal.\"", "    summary: {en: \"A\"")
    keywords = "keywords:\n  yes: {en: [yes, ok], nl: [ja]}\n  back: {en: [ok]}\n"
    bundle, loaded = bundle_from(ELIGIBILITY, answers=answers, rules=rules, keywords=keywords)
    assert loaded == []
    issues = check_bundle(bundle, REQUIRED, INTENTS)
    assert only(issues, "text has no translation for nl").step == "documents"
    assert only(issues, "uses {name}").step == "documents"
    assert only(issues, "command must be one of").line == 5
    # documents/passport is reachable through its button although the NLU lacks it
    assert only(issues, "unknown intent").message.startswith("payload 'intent:documents/visa'")
    assert only(issues, "valid_from is after valid_to").line == 10
    assert only(issues, "two in-force versions").line == 10
    assert only(issues, "no 'no' words").file == "keywords.yml"
    assert only(issues, "also a 'yes' word").step == "back"
    assert only(issues, "no words for nl").step == "back"


def test_two_flows_on_one_intent() -> None:
    issues = check("  - id: a\n" + SAY, head=HEAD.replace("[help]", "[can_i_work]"))
    assert "also starts flow" in only(issues, "can_i_work").message


def test_answers_for_an_unknown_base_intent() -> None:
    answer = Answer("weather/today", LocalText({"en": "Sunny", "nl": "Zonnig"}), file="a.yml")
    bundle = ContentBundle(answers={"weather/today": answer})
    issue = only(check_answers(bundle, REQUIRED, INTENTS), "unknown intent")
    assert issue.step == "weather/today"
