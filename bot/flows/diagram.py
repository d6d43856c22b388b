"""Mermaid diagrams of flows, for docs/diagrams/ and the README (one file per flow)."""

from __future__ import annotations

from pathlib import Path

from bot.flows.model import (
    AskSpec,
    ContentBundle,
    End,
    Flow,
    Goto,
    Handoff,
    If,
    Say,
    SetValues,
    Step,
)

MAX_LABEL = 48
_ENTITIES = str.maketrans({"#": "#35;", ";": "#59;", '"': "#quot;", "<": "#lt;", ">": "#gt;"})
# Node shapes by action: questions as parallelograms, decisions as diamonds, ends rounded.
_SHAPES = {
    "ask": ("[/", "/]"),
    "if": ("{", "}"),
    "end": ("([", "])"),
    "handoff": ("{{", "}}"),
    "jobs": ("[[", "]]"),
}


def _escape(text: str) -> str:
    """Make text safe inside a quoted Mermaid label (quotes, angle brackets, #, ;, newlines)."""
    return " ".join(text.translate(_ENTITIES).split())


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _node_id(step_id: str) -> str:
    return f"s_{step_id}"  # a bare `end` would be a Mermaid keyword


def _summary(step: Step, lang: str) -> str:
    payload = step.payload
    if isinstance(payload, Say):
        if payload.answer is not None:
            return f"answer: {payload.answer}"
        return _short(payload.text.get(lang)[0]) if payload.text else "say"
    if isinstance(payload, AskSpec):
        summary = f"{payload.slot} ({payload.type}): {_short(payload.text.get(lang)[0])}"
        if payload.options:
            summary += " — " + " / ".join(o.value for o in payload.options)
        return summary
    if isinstance(payload, SetValues):
        return "; ".join(f"{name} = {expr}" for name, expr in payload.values.items())
    if isinstance(payload, Handoff):
        return f"handoff: {payload.reason}"
    if isinstance(payload, End) and payload.text is not None:
        return _short(payload.text.get(lang)[0])
    return step.kind


def _edges(flow: Flow, step: Step) -> list[tuple[str, str | None]]:
    payload = step.payload
    if isinstance(payload, If):
        return [(b.goto, b.when if b.when is not None else "else") for b in payload.branches]
    if isinstance(payload, Goto):
        return [(payload.target, None)]
    target = flow.next_of(step)
    return [(target, None)] if target else []


def to_mermaid(flow: Flow, lang: str = "en") -> str:
    """A top-down Mermaid flowchart: one node per step (id and a short text), one edge per
    next/goto, `if` edges labelled with their condition."""
    lines = ["flowchart TD"]
    for step in flow.steps.values():
        left, right = _SHAPES.get(step.kind, ("[", "]"))
        label = _escape(f"{step.id}: {_summary(step, lang)}")
        lines.append(f'    {_node_id(step.id)}{left}"{label}"{right}')
    for step in flow.steps.values():
        for target, condition in _edges(flow, step):
            arrow = f'-->|"{_escape(condition)}"|' if condition else "-->"
            lines.append(f"    {_node_id(step.id)} {arrow} {_node_id(target)}")
    return "\n".join(lines) + "\n"


def write_diagrams(bundle: ContentBundle, out_dir: Path, lang: str = "en") -> list[Path]:
    """Write `<out_dir>/<flow>.md` with a ```mermaid block for each flow; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for flow in bundle.flows.values():
        title = flow.title.get(lang)[0] or flow.id
        path = out_dir / f"{flow.id}.md"
        path.write_text(
            f"# {title} (`{flow.id}`, version {flow.version})\n\n"
            f"Generated from `{flow.file or flow.id}`; do not edit by hand.\n\n"
            f"```mermaid\n{to_mermaid(flow, lang)}```\n",
            encoding="utf-8",
        )
        written.append(path)
    return written
