"""The expression whitelist, and the date functions the eligibility rules rest on."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.errors import ContentError
from bot.flows.expressions import (
    EvalContext,
    ExpressionError,
    add_months,
    compile_expression,
    evaluate,
    months_since,
)


def run(source: str, today: date = date(2025, 9, 15), **slots: Any) -> Any:
    rules = {"work_wait_months": 6}
    return evaluate(source, EvalContext(slots=slots, today=today, rule=rules.__getitem__))


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("application_date.year", "attribute"),
        ("__import__('os')", "function '__import__'"),
        ("__import__('os').system('ls')", "attribute"),
        ("(lambda: 1)()", "lambda"),
        ("[x for x in slots]", "comprehension"),
        ("{x for x in slots}", "comprehension"),
        ("slots['a']", "indexing"),
        ("1 + 1", "arithmetic"),
        ("open('/etc/passwd')", "function 'open'"),
        ("add_months(d, n=1)", "positional"),
        ("add_months(d)", "positional"),
        ("rule(name)", "quoted string"),
        ("today().isoformat()", "attribute"),
        ("x if y else z", "inline if"),
        ("a in ['x']", "comparisons"),
        ("-True", "minus"),
        ("f'{x}'", "f-string"),
        ("(x := 1)", "assignment"),
        ("x ==", "not valid"),
    ],
)
def test_unsafe_or_unknown_constructs_are_refused(source: str, what: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    assert what in str(caught.value)
    assert isinstance(caught.value, ContentError)


def test_names_and_rules_are_collected() -> None:
    compiled = compile_expression(
        "today() >= add_months(application_date, rule('work_wait_months')) and not done"
    )
    assert compiled.names == {"application_date", "done"}
    assert compiled.rules == {"work_wait_months"}


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 3, 15), 6, date(2025, 9, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        (date(2025, 3, 15), date(2025, 9, 15), 6),
        (date(2025, 3, 15), date(2025, 9, 14), 5),
        (date(2025, 1, 31), date(2025, 2, 28), 1),  # agrees with add_months' clamping
        (date(2025, 1, 31), date(2025, 2, 27), 0),
        (date(2025, 3, 15), date(2025, 3, 15), 0),
        (date(2025, 3, 15), date(2025, 3, 1), -1),
    ],
)
def test_months_since_counts_whole_months(start: date, today: date, expected: int) -> None:
    assert months_since(start, today) == expected


def test_six_months_is_reached_on_the_day_not_the_day_before() -> None:
    rule = "today() >= add_months(application_date, rule('work_wait_months'))"
    assert run(rule, today=date(2025, 9, 15), application_date="2025-03-15") is True
    assert run(rule, today=date(2025, 9, 14), application_date="2025-03-15") is False
    since = "months_since(application_date) >= 6"
    assert run(since, today=date(2025, 9, 15), application_date="2025-03-15") is True
    assert run(since, today=date(2025, 9, 14), application_date="2025-03-15") is False


def test_evaluation_of_the_allowed_forms() -> None:
    assert run("coa_reception != 'coa'", coa_reception="other") is True
    assert run("a and not b", a=True, b=False) is True
    assert run("a or b", a=0, b="x") == "x"
    assert run("days_since(d) == 1", d="2025-09-14") is True
    assert run("d < '2025-10-01'", d="2025-09-14") is True  # ISO strings compare as dates
    assert run("add_months(d, -1)", d="2025-03-31") == date(2025, 2, 28)
    assert run("1 < n <= 3", n=3) is True
    assert run("x == None", x=None) is True
    assert run("today") == date(2025, 9, 15)


@pytest.mark.parametrize(
    ("source", "slots", "message"),
    [
        ("missing > 1", {}, "has no value yet"),
        ("add_months(name, 1)", {"name": "Amal"}, "needs a date"),
        ("add_months(d, 'x')", {"d": "2025-01-01"}, "whole number"),
        ("d < 3", {"d": "2025-01-01"}, "cannot compare"),
    ],
)
def test_runtime_problems_are_content_errors(
    source: str, slots: dict[str, Any], message: str
) -> None:
    with pytest.raises(ContentError) as caught:
        run(source, **slots)
    assert message in str(caught.value)
    assert source in str(caught.value)
