"""Safe conditions and `set` values: a whitelist over Python's `ast`, never `eval`.

Allowed: comparisons, `and`/`or`/`not`, literals (str, int, float, bool, None; a leading
minus on numbers), slot names, and calls to `today()`, `add_months(date, n)`,
`months_since(date)`, `days_since(date)` and `rule('id')`. Everything else (attributes,
subscripts, arithmetic, lambdas, comprehensions, keyword arguments, ...) is refused when the
content is checked, with a message that names the construct.

Dates in slots are ISO strings; a name or string literal that looks like `YYYY-MM-DD` is
compared as a date.
"""

from __future__ import annotations

import ast
import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from bot.errors import ContentError

FUNCTIONS: dict[str, int] = {
    "today": 0,
    "add_months": 2,
    "months_since": 1,
    "days_since": 1,
    "rule": 1,
    "in_force": 1,  # in_force('id'): whether a rule with this id applies today
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_DESCRIBE: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "indexing (a[b])",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.BinOp: "arithmetic (+ - * /)",
    ast.IfExp: "an inline if/else",
    ast.NamedExpr: "assignment (:=)",
    ast.Await: "await",
    ast.Starred: "*arguments",
    ast.JoinedStr: "an f-string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
}


class ExpressionError(ContentError):
    """An expression is not allowed, or failed while it was evaluated."""


def add_months(start: date, months: int) -> date:
    """The same day `months` later; a day the target month lacks becomes its last day.

    31 Jan + 1 month = 28 Feb (29 in a leap year): the period ends at the end of the shorter
    month rather than spilling into the next one, the reading least likely to tell someone
    they may work before they may.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def months_since(start: date, today: date) -> int:
    """Whole calendar months completed: the largest n with add_months(start, n) <= today.

    Defined through add_months so that `months_since(d) >= n` and
    `today() >= add_months(d, n)` always agree.
    """
    months = (today.year - start.year) * 12 + today.month - start.month
    if add_months(start, months) > today:
        months -= 1
    return months


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.Expression
    names: frozenset[str]
    rules: frozenset[str]


@dataclass
class EvalContext:
    """What an expression may see: slot values, the date of today, and the rule lookup."""

    slots: Mapping[str, Any]
    today: date
    rule: Callable[[str], Any]
    builtins: Mapping[str, Callable[[], Any]] = field(default_factory=dict)
    in_force: Callable[[str], bool] = lambda rule_id: False


def _check(node: ast.AST, names: set[str], rules: set[str]) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body, names, rules)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names, rules)
    elif isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            _check(node.operand, names, rules)
        elif not (
            isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float)
        ):
            raise ExpressionError("only `not` and a minus before a number are allowed")
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if not isinstance(op, _COMPARE_OPS):
                raise ExpressionError("only == != < <= > >= comparisons are allowed")
        for part in (node.left, *node.comparators):
            _check(part, names, rules)
    elif isinstance(node, ast.Constant):
        if node.value is not None and type(node.value) not in (str, int, float, bool):
            raise ExpressionError(f"literal {node.value!r} is not allowed")
    elif isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, ast.Call):
        _check_call(node, names, rules)
    else:
        what = _DESCRIBE.get(type(node), type(node).__name__)
        raise ExpressionError(f"{what} is not allowed")


def _check_call(node: ast.Call, names: set[str], rules: set[str]) -> None:
    if not isinstance(node.func, ast.Name):
        what = _DESCRIBE.get(type(node.func), "calling the result of an expression")
        raise ExpressionError(f"{what} is not allowed")
    if node.func.id not in FUNCTIONS:
        raise ExpressionError(
            f"function {node.func.id!r} is not allowed (use {', '.join(FUNCTIONS)})"
        )
    name, arity = node.func.id, FUNCTIONS[node.func.id]
    if node.keywords or len(node.args) != arity:
        raise ExpressionError(f"{name}() takes {arity} positional argument(s)")
    if name in ("rule", "in_force"):
        arg = node.args[0]
        if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
            raise ExpressionError(f"{name}() takes the rule id as a quoted string: {name}('id')")
        rules.add(arg.value)
        return
    for arg in node.args:
        _check(arg, names, rules)


@lru_cache(maxsize=1024)
def compile_expression(source: str) -> Expression:
    """Parse and whitelist an expression; ExpressionError says what is not allowed."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"expression {source!r} is not valid: {exc.msg}") from exc
    names: set[str] = set()
    rules: set[str] = set()
    try:
        _check(tree, names, rules)
    except ExpressionError as exc:
        raise ExpressionError(f"expression {source!r}: {exc}") from exc
    return Expression(source, tree, frozenset(names), frozenset(rules))


def _as_value(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _as_date(value: Any, func: str) -> date:
    value = _as_value(value)
    if not isinstance(value, date):
        raise ExpressionError(f"{func}() needs a date, got {value!r}")
    return value


def _as_int(value: Any, func: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ExpressionError(f"{func}() needs a whole number of months, got {value!r}")
    return int(value)


def _eval(node: ast.AST, ctx: EvalContext) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, ctx)
    if isinstance(node, ast.BoolOp):
        is_and = isinstance(node.op, ast.And)
        result: Any = is_and
        for value in node.values:
            result = _eval(value, ctx)
            if bool(result) != is_and:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, ctx)
        return (not operand) if isinstance(node.op, ast.Not) else -operand
    if isinstance(node, ast.Compare):
        left = _eval(node.left, ctx)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, ctx)
            if not _compare(op, left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Constant):
        return _as_value(node.value)
    if isinstance(node, ast.Name):
        if node.id in ctx.slots:
            return _as_value(ctx.slots[node.id])
        if node.id in ctx.builtins:
            return ctx.builtins[node.id]()
        if node.id == "today":
            return ctx.today
        raise ExpressionError(f"slot {node.id!r} has no value yet")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node.func.id, node.args, ctx)
    raise ExpressionError(f"{type(node).__name__} is not allowed")  # compile_expression refuses it


def _call(name: str, args: list[ast.expr], ctx: EvalContext) -> Any:
    if name == "rule":
        first = args[0]
        assert isinstance(first, ast.Constant)  # checked by compile_expression
        return ctx.rule(str(first.value))
    if name == "in_force":
        first = args[0]
        assert isinstance(first, ast.Constant)
        return ctx.in_force(str(first.value))
    values = [_eval(arg, ctx) for arg in args]
    if name == "today":
        return ctx.today
    if name == "add_months":
        return add_months(_as_date(values[0], name), _as_int(values[1], name))
    if name == "months_since":
        return months_since(_as_date(values[0], name), ctx.today)
    return (ctx.today - _as_date(values[0], name)).days  # days_since


def _compare(op: ast.cmpop, left: Any, right: Any) -> bool:
    if isinstance(op, ast.Eq):
        return bool(left == right)
    if isinstance(op, ast.NotEq):
        return bool(left != right)
    try:
        if isinstance(op, ast.Lt):
            return bool(left < right)
        if isinstance(op, ast.LtE):
            return bool(left <= right)
        if isinstance(op, ast.Gt):
            return bool(left > right)
        return bool(left >= right)
    except TypeError as exc:
        raise ExpressionError(f"cannot compare {left!r} with {right!r}") from exc


def evaluate(expression: str | Expression, ctx: EvalContext) -> Any:
    """Evaluate a checked expression; errors name the expression and the problem."""
    compiled = compile_expression(expression) if isinstance(expression, str) else expression
    try:
        return _eval(compiled.tree, ctx)
    except ExpressionError as exc:
        raise ExpressionError(f"expression {compiled.source!r}: {exc}") from exc
    except (ValueError, OverflowError) as exc:
        raise ExpressionError(f"expression {compiled.source!r}: {exc}") from exc
