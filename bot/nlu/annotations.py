"""Rasa's inline entity markup: `[7 months](duration)` and `[Adam]{"entity": "x", "value": "y"}`.

`parse_annotated` strips the markup and returns the entities with character offsets into the
plain text; `format_annotated` puts it back, so reading and writing a file round-trips.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The same grammar as rasa/shared/nlu/training_data/entities_parser.py (Rasa 3.x).
ENTITY_MARKUP = re.compile(
    r"\[(?P<text>[^\]]+?)\]"
    r"(\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)"
    r"|\{(?P<dict>[^}]+?)\}"
    r"|\[(?P<dicts>.*?)\])"
)
_DICT_KEYS = ("entity", "value", "role", "group")


class AnnotationError(ValueError):
    """The markup in one example is malformed; the reader adds file and line."""


def parse_annotated(annotated: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and its entities (`entity`, `value`, `start`, `end`, ...)."""
    plain: list[str] = []
    entities: list[dict[str, Any]] = []
    offset = 0  # length of the plain text built so far
    last = 0
    for match in ENTITY_MARKUP.finditer(annotated):
        plain.append(annotated[last : match.start()])
        offset += match.start() - last
        text = match.group("text")
        start, end = offset, offset + len(text)
        for spec in _specs(match):
            entity: dict[str, Any] = {"entity": spec["entity"], "start": start, "end": end}
            entity["value"] = spec.get("value", text)
            for key in ("role", "group"):
                if key in spec:
                    entity[key] = spec[key]
            entities.append(entity)
        plain.append(text)
        offset = end
        last = match.end()
    plain.append(annotated[last:])
    return "".join(plain), entities


def _specs(match: re.Match[str]) -> list[dict[str, Any]]:
    if match.group("entity") is not None:
        spec: dict[str, Any] = {"entity": match.group("entity").strip()}
        if match.group("value") is not None:
            spec["value"] = match.group("value").strip()
        return [spec]
    raw = match.group("dict")
    source = "{" + raw + "}" if raw is not None else "[" + match.group("dicts") + "]"
    try:
        loaded = json.loads(source)
    except json.JSONDecodeError as exc:
        msg = f"entity markup {match.group(0)!r} is not valid JSON: {exc.msg}"
        raise AnnotationError(msg) from exc
    specs = loaded if isinstance(loaded, list) else [loaded]
    for spec in specs:
        if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
            raise AnnotationError(f'entity markup {match.group(0)!r} needs an "entity" key')
        unknown = set(spec) - set(_DICT_KEYS)
        if unknown:
            raise AnnotationError(f"entity markup {match.group(0)!r} has unknown keys {unknown}")
    return specs


def format_annotated(text: str, entities: list[dict[str, Any]]) -> str:
    """Put entity markup back into `text`; entities on the same span share one markup."""
    spans: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for entity in entities:
        spans.setdefault((int(entity["start"]), int(entity["end"])), []).append(entity)
    out: list[str] = []
    last = 0
    for (start, end), group in sorted(spans.items()):
        if start < last or end > len(text) or start >= end:
            raise AnnotationError(f"entity span {start}:{end} overlaps or lies outside {text!r}")
        out.append(text[last:start])
        out.append(f"[{text[start:end]}]{_markup(text[start:end], group)}")
        last = end
    out.append(text[last:])
    return "".join(out)


def _markup(span: str, group: list[dict[str, Any]]) -> str:
    specs = [{k: e[k] for k in _DICT_KEYS if k in e and not (k == "value" and e[k] == span)}
             for e in group]
    if len(specs) == 1 and set(specs[0]) == {"entity"}:
        return f"({specs[0]['entity']})"
    if len(specs) == 1:
        return json.dumps(specs[0], ensure_ascii=False)
    return json.dumps(specs, ensure_ascii=False)
