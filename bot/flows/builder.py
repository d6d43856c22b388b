"""Turn schema-valid YAML data (from yamlio, with line numbers) into content model objects."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.flows.issues import ContentIssue
from bot.flows.model import (
    ACTIONS,
    AskSpec,
    Branch,
    ButtonSpec,
    End,
    Goto,
    Handoff,
    If,
    Jobs,
    LocalText,
    Option,
    Payload,
    Say,
    SetValues,
    Source,
    Step,
)


class ModelBuilder:
    """Turns schema-valid YAML data into model objects, noting the few problems left."""

    def __init__(self, filename: str) -> None:
        self.file = filename
        self.issues: list[ContentIssue] = []
        self.flow: str | None = None

    def issue(self, line: int, step: str | None, message: str, fix: str = "") -> None:
        self.issues.append(ContentIssue(self.file, line, self.flow, step, message, fix))

    def text(self, obj: Mapping[str, Any], key: str) -> LocalText | None:
        raw = obj.get(key)
        if raw is None:
            return None
        texts = {lang: value for lang, value in raw.items() if lang != "unreviewed"}
        unreviewed = set(raw.get("unreviewed", ())) | set(obj.get("unreviewed", ()))
        return LocalText(texts, frozenset(unreviewed & texts.keys()))

    def date(self, value: str | None, line: int, step: str | None = None) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.issue(line, step, f"{value!r} is not a real date", "write it as YYYY-MM-DD")
            return None

    def day_or_month(
        self, value: str | None, line: int, step: str | None = None
    ) -> _dt.date | None:
        """YYYY-MM-DD, or YYYY-MM (read as the first of that month)."""
        if value is not None and len(value) == 7:
            value = f"{value}-01"
        return self.date(value, line, step)

    def sources(self, raw: list[Any] | None, step: str | None = None) -> tuple[Source, ...]:
        return tuple(
            Source(s["url"], s.get("title"), self.day_or_month(s["verified"], s.line, step),
                   s.get("seen", "copy"), self.date(s.get("review_by"), s.line, step))
            for s in raw or ()
        )

    def buttons(self, raw: list[Any] | None) -> tuple[ButtonSpec, ...]:
        return tuple(
            ButtonSpec(self.text(b, "label") or LocalText({}), b["payload"], b.line)
            for b in raw or ()
        )

    def payload(self, kind: str, raw: Any, step_id: str) -> Payload:
        if kind == "say":
            return Say(
                self.text(raw, "text"), raw.get("answer"), self.buttons(raw.get("buttons")),
                self.sources(raw.get("sources"), step_id), tuple(raw.get("rules", ())),
            )
        if kind == "ask":
            options = tuple(
                Option(str(o["value"]), self.text(o, "label") or LocalText({}), o.line,
                       {lang: tuple(ws) for lang, ws in (o.get("match") or {}).items()})
                for o in raw.get("options") or ()
            )
            text = self.text(raw, "text") or LocalText({})
            return AskSpec(
                raw["slot"], raw["type"], text, self.text(raw, "hint"), options,
                raw.get("min"), raw.get("max"),
            )
        if kind == "if":
            return If(tuple(
                Branch(b.get("when"), b["goto"] if "goto" in b else b["else"], b.line)
                for b in raw
            ))
        if kind == "set":
            return SetValues({
                name: value if isinstance(value, str) else repr(value)
                for name, value in raw.items()
            })
        if kind == "goto":
            return Goto(raw)
        if kind == "handoff":
            return Handoff(raw["reason"])
        if kind == "jobs":
            return Jobs(_plain(raw or {}))
        return End(self.text(raw, "text") if raw else None)  # end

    def step(self, raw: Any) -> Step:
        actions = [key for key in raw if key in ACTIONS]
        kind = actions[0] if actions else "none"
        payload = self.payload(kind, raw[kind], raw["id"]) if actions else None
        return Step(
            raw["id"], kind, payload, raw.get("next"), raw.line, tuple(actions[1:]),
            dict(raw.key_lines),
        )


def _plain(value: Any) -> Any:
    """LineDict/LineList back to dict/list, for data kept as is (jobs parameters)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
