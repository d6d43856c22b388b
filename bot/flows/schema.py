"""JSON Schemas of the four content files, and schema errors mapped to file lines.

The schemas check shape only (keys, types, patterns); meaning (unknown steps, intents,
slots, translations) is checked in validation.py, which gives better messages than a
schema can. A subschema may carry `errorMessage`: it replaces jsonschema's wording.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from bot.flows.issues import ContentIssue
from bot.flows.yamlio import LineDict, LineList

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
DAY_OR_MONTH = r"^\d{4}-\d{2}(-\d{2})?$"
NAME = r"^[a-z][a-z0-9_]*$"
INTENT = r"^[a-z][a-z0-9_]*(/[a-z0-9_]+)?$"
LANG = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"

_LANG_LIST = {"type": "array", "items": {"type": "string", "pattern": LANG}}
DEFINITIONS: dict[str, Any] = {
    "text": {
        "type": "object",
        "minProperties": 1,
        "properties": {"unreviewed": _LANG_LIST},
        "patternProperties": {LANG: {"type": "string"}},
        "additionalProperties": False,
        "errorMessage": "a text is a mapping of language code to string, e.g. {en: ..., nl: ...}",
    },
    "unreviewed": _LANG_LIST,
    "source": {
        "type": "object",
        "required": ["url", "verified"],
        "properties": {
            "title": {"type": "string"},
            "url": {"type": "string", "pattern": r"^https?://\S+$"},
            # when someone compared the text with the page: YYYY-MM-DD, or YYYY-MM
            "verified": {"type": "string", "pattern": DAY_OR_MONTH},
            "seen": {"enum": ["copy", "live"]},  # a saved copy of the page, or the page
            "review_by": {"type": "string", "pattern": ISO_DATE},
            "note": {"type": "string"},  # e.g. which copy was read
            "checked": {"not": {}, "errorMessage":
                        "`checked` is now `verified`: the date someone really compared the "
                        "text with the page (YYYY-MM or YYYY-MM-DD), with `seen: copy` or "
                        "`seen: live`"},
        },
        "additionalProperties": False,
    },
    "rule_ids": {"type": "array", "items": {"type": "string", "pattern": NAME}},
    "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
    "button": {
        "type": "object",
        "required": ["label", "payload"],
        "properties": {
            "label": {"$ref": "#/$defs/text"},
            "payload": {"type": "string", "minLength": 1},
            "unreviewed": {"$ref": "#/$defs/unreviewed"},
        },
        "additionalProperties": False,
    },
    "buttons": {"type": "array", "items": {"$ref": "#/$defs/button"}},
}


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    properties.setdefault("unreviewed", {"$ref": "#/$defs/unreviewed"})
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


_TEXT = {"$ref": "#/$defs/text"}
_BOUND = {"type": ["string", "number"]}
_STEP_ACTIONS: dict[str, Any] = {
    "say": _obj(
        [], text=_TEXT, answer={"type": "string", "pattern": INTENT},
        buttons={"$ref": "#/$defs/buttons"}, sources={"$ref": "#/$defs/sources"},
        rules={"$ref": "#/$defs/rule_ids"},
    ),
    "ask": _obj(
        ["slot", "type", "text"],
        slot={"type": "string", "pattern": NAME},
        type={"enum": ["choice", "yes_no", "date", "number", "text", "municipality"]},
        text=_TEXT,
        hint=_TEXT,
        options={
            "type": "array",
            "items": _obj(
                ["value", "label"], value={"type": ["string", "integer"]}, label=_TEXT,
                match={"type": "object", "propertyNames": {"pattern": LANG},
                       "additionalProperties": {"type": "array", "minItems": 1,
                                                "items": {"type": "string", "minLength": 2}}},
            ),
        },
        min=_BOUND,
        max=_BOUND,
    ),
    "if": {
        "type": "array",
        "minItems": 1,
        "items": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["when", "goto"],
                    "properties": {"when": {"type": "string"}, "goto": {"type": "string"}},
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "required": ["else"],
                    "properties": {"else": {"type": "string"}},
                    "additionalProperties": False,
                },
            ],
            "errorMessage": "an `if` branch is either {when: <condition>, goto: <step>} "
            "or {else: <step>}",
        },
    },
    "set": {
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"pattern": NAME},
        "additionalProperties": {"type": ["string", "number", "boolean"]},
    },
    "goto": {"type": "string"},
    "handoff": _obj(["reason"], reason={"type": "string", "pattern": NAME}),
    "jobs": {"type": ["object", "null"]},
    "end": {
        "oneOf": [{"type": "null"}, _obj([], text=_TEXT)],
        "errorMessage": "`end` takes nothing, {} or {text: {...}}",
    },
}

FLOW_SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    **_obj(
        ["flow", "steps"],
        flow={"type": "string", "pattern": NAME},
        version={"type": "integer", "minimum": 1},
        title=_TEXT,
        start_intents={"type": "array", "items": {"type": "string", "pattern": INTENT}},
        menu={"type": "boolean"},
        steps={
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "pattern": NAME},
                    "next": {"type": "string"},
                    **_STEP_ACTIONS,
                },
                "additionalProperties": False,
            },
        },
    ),
}

ANSWERS_SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    **_obj(
        ["intent", "answers"],
        intent={"type": "string", "pattern": NAME},
        answers={
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": INTENT},
            "additionalProperties": _obj(
                ["text"], text=_TEXT, sources={"$ref": "#/$defs/sources"},
                buttons={"$ref": "#/$defs/buttons"},
                rules={"$ref": "#/$defs/rule_ids"},
                # translations made before the en/nl text last changed (the console sets it)
                stale={"$ref": "#/$defs/unreviewed"},
            ),
        },
    ),
}

RULES_SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    **_obj(
        ["rules"],
        rules={
            "type": "array",
            "items": _obj(
                ["id", "value", "status"],
                id={"type": "string", "pattern": NAME},
                value={"type": ["number", "string", "boolean"]},
                unit={"type": "string"},
                status={"enum": ["in_force", "proposed", "ended"]},
                valid_from={"type": ["string", "null"], "pattern": ISO_DATE},
                valid_to={"type": ["string", "null"], "pattern": ISO_DATE},
                summary=_TEXT,
                notice=_TEXT,
                verified={"type": "string", "pattern": DAY_OR_MONTH},
                review_by={"type": "string", "pattern": ISO_DATE},
                sources={"$ref": "#/$defs/sources"},
            ),
        },
    ),
}

KEYWORDS_SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    **_obj(
        ["keywords"],
        keywords={
            "type": "object",
            "propertyNames": {"pattern": NAME},
            "additionalProperties": {
                "type": "object",
                "propertyNames": {"pattern": LANG},
                "additionalProperties": {
                    "type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}
                },
            },
        },
    ),
}


def _line_of(data: Any, path: list[Any]) -> int:
    """The line of the deepest node on `path` that has one (a key's own line if possible)."""
    line = getattr(data, "line", 1) or 1
    node = data
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        line = getattr(node, "line", line) or line
    return line


def _where(data: Any, path: list[Any]) -> tuple[str | None, str | None]:
    """Flow id and step id around `path`, for the message prefix."""
    flow = data.get("flow") if isinstance(data, dict) else None
    step = None
    if len(path) >= 2 and path[0] == "steps" and isinstance(data, dict):
        steps = data.get("steps")
        if isinstance(steps, list) and isinstance(path[1], int) and path[1] < len(steps):
            item = steps[path[1]]
            step = item.get("id") if isinstance(item, dict) else None
    if isinstance(data, dict) and path[:1] == ["answers"] and len(path) >= 2:
        step = str(path[1])
    return (flow if isinstance(flow, str) else None), (step if isinstance(step, str) else None)


def _message(error: ValidationError) -> tuple[str, str]:
    schema = error.schema if isinstance(error.schema, dict) else {}
    at = "/".join(str(p) for p in error.absolute_path) or "the file"
    if "errorMessage" in schema:
        return f"{at}: {schema['errorMessage']}", "see docs/flows.md"
    if error.validator == "additionalProperties":
        return f"{at}: {error.message}", "remove the key or check its spelling in docs/flows.md"
    if error.validator == "required":
        return f"{at}: {error.message}", "add the missing key"
    if error.validator == "pattern":
        return f"{at}: {error.instance!r} has the wrong form", (
            "dates are YYYY-MM-DD, ids lower_case_with_underscores, urls start with https://"
        )
    return f"{at}: {error.message}", ""


def schema_issues(data: Any, schema: dict[str, Any], filename: str) -> list[ContentIssue]:
    """Validate parsed YAML against a schema; one issue per error, at the offending line."""
    issues = []
    validator = Draft202012Validator(schema)
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        flow, step = _where(data, path)
        message, fix = _message(error)
        issues.append(ContentIssue(filename, _line_of(data, path), flow, step, message, fix))
    return sorted(issues, key=lambda issue: issue.line)
