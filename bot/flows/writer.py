"""Write the content model back to YAML in the shape docs/flows.md describes.

The reader's twin: `load_flow_text(dump_flow(flow))` gives a flow equal to `flow`, so the web
console can save what it loaded. A step with several actions (a check error) keeps only its
first one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.flows.model import (
    Answer,
    AskSpec,
    ButtonSpec,
    End,
    Flow,
    Goto,
    Handoff,
    If,
    Jobs,
    Keywords,
    LocalText,
    Payload,
    Rule,
    Say,
    SetValues,
    Source,
)
from bot.flows.yamlio import write_yaml


def _texts(fields: Mapping[str, LocalText | None]) -> dict[str, Any]:
    """Localised fields of one object, with `unreviewed` beside them as docs/flows.md shows,
    or inside each text when the fields disagree about which translations are unreviewed."""
    present = {key: text for key, text in fields.items() if text is not None}
    union = frozenset().union(*(t.unreviewed for t in present.values()))
    shared = all(t.unreviewed == union & t.languages for t in present.values())
    out: dict[str, Any] = {}
    for key, text in present.items():
        out[key] = dict(text.texts)
        if not shared and text.unreviewed:
            out[key]["unreviewed"] = sorted(text.unreviewed)
    if shared and union:
        out["unreviewed"] = sorted(union)
    return out


def _sources(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    out = []
    for source in sources:
        item: dict[str, Any] = {}
        if source.title is not None:
            item["title"] = source.title
        item["url"] = source.url
        if source.verified is not None:  # a first of the month is written as the month
            day = source.verified
            item["verified"] = day.isoformat()[:7] if day.day == 1 else day.isoformat()
        if source.seen != "copy":
            item["seen"] = source.seen
        if source.review_by is not None:
            item["review_by"] = source.review_by.isoformat()
        out.append(item)
    return out


def _buttons(buttons: tuple[ButtonSpec, ...]) -> list[dict[str, Any]]:
    return [{**_texts({"label": b.label}), "payload": b.payload} for b in buttons]


def _payload(payload: Payload) -> Any:
    if isinstance(payload, Say):
        out: dict[str, Any] = _texts({"text": payload.text})
        if payload.answer is not None:
            out["answer"] = payload.answer
        if payload.buttons:
            out["buttons"] = _buttons(payload.buttons)
        if payload.sources:
            out["sources"] = _sources(payload.sources)
        if payload.rules:
            out["rules"] = list(payload.rules)
        return out
    if isinstance(payload, AskSpec):
        out = {"slot": payload.slot, "type": payload.type}
        out.update(_texts({"text": payload.text, "hint": payload.hint}))
        if payload.options:
            out["options"] = [
                {"value": o.value, **_texts({"label": o.label}),
                 **({"match": {k: list(v) for k, v in o.match.items()}} if o.match else {})}
                for o in payload.options
            ]
        for bound in ("min", "max"):
            if getattr(payload, bound) is not None:
                out[bound] = getattr(payload, bound)
        return out
    if isinstance(payload, If):
        return [
            {"when": b.when, "goto": b.goto} if b.when is not None else {"else": b.goto}
            for b in payload.branches
        ]
    if isinstance(payload, SetValues):
        return dict(payload.values)
    if isinstance(payload, Goto):
        return payload.target
    if isinstance(payload, Handoff):
        return {"reason": payload.reason}
    if isinstance(payload, Jobs):
        return dict(payload.params)
    if isinstance(payload, End):
        return _texts({"text": payload.text}) if payload.text is not None else None
    return None


def flow_to_data(flow: Flow) -> dict[str, Any]:
    """The flow as plain YAML-ready data."""
    data: dict[str, Any] = {"flow": flow.id, "version": flow.version}
    data.update(_texts({"title": flow.title}) if flow.title.texts else {})
    data["start_intents"] = list(flow.start_intents)
    data["menu"] = flow.menu
    steps = []
    for step in (*flow.steps.values(), *flow.duplicate_steps):
        item: dict[str, Any] = {"id": step.id}
        if step.kind != "none":
            item[step.kind] = _payload(step.payload)
        if step.next is not None:
            item["next"] = step.next
        steps.append(item)
    data["steps"] = steps
    return data


def dump_flow(flow: Flow) -> str:
    """The flow as YAML text."""
    return write_yaml(flow_to_data(flow))


def dump_answers(intent: str, answers: Mapping[str, Answer]) -> str:
    """One answers file (`answers/<intent>.yml`) as YAML text."""
    data: dict[str, Any] = {}
    for key, answer in answers.items():
        item = _texts({"text": answer.text})
        if answer.stale:
            item["stale"] = sorted(answer.stale)
        if answer.sources:
            item["sources"] = _sources(answer.sources)
        if answer.buttons:
            item["buttons"] = _buttons(answer.buttons)
        if answer.rules:
            item["rules"] = list(answer.rules)
        data[key] = item
    return write_yaml({"intent": intent, "answers": data})


def dump_rules(rules: tuple[Rule, ...]) -> str:
    """rules.yml as YAML text."""
    out = []
    for rule in rules:
        item: dict[str, Any] = {"id": rule.id, "value": rule.value}
        if rule.unit is not None:
            item["unit"] = rule.unit
        item["status"] = rule.status
        item["valid_from"] = rule.valid_from.isoformat() if rule.valid_from else None
        item["valid_to"] = rule.valid_to.isoformat() if rule.valid_to else None
        item.update(_texts({"summary": rule.summary, "notice": rule.notice}))
        if rule.verified is not None:
            day = rule.verified
            item["verified"] = day.isoformat()[:7] if day.day == 1 else day.isoformat()
        if rule.review_by is not None:
            item["review_by"] = rule.review_by.isoformat()
        if rule.sources:
            item["sources"] = _sources(rule.sources)
        out.append(item)
    return write_yaml({"rules": out})


def dump_keywords(keywords: Keywords) -> str:
    """keywords.yml as YAML text."""
    data: dict[str, Any] = {}
    if keywords.unreviewed:
        data["unreviewed"] = sorted(keywords.unreviewed)
    data["keywords"] = {
        command: {lang: list(words) for lang, words in per_lang.items()}
        for command, per_lang in keywords.words.items()
    }
    return write_yaml(data)
