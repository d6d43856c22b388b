"""What the flow editor shows besides the YAML: the steps as a node list, a test chat run on the
edited (unpublished) flow, the numbered listing with problem lines marked, version bumps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.errors import ContentError
from bot.flows.engine import FlowEngine
from bot.flows.issues import ContentIssue
from bot.flows.model import ContentBundle, Flow, Goto, If
from bot.flows.slots import ResolveMunicipality
from bot.flows.state import StepOutcome

MAX_TEST_ANSWERS = 20


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    targets: list[tuple[str, str]]  # (step id, condition or "")
    start: bool = False


def nodes(flow: Flow) -> list[Node]:
    """One node per step, with where it can go next: the diagram as a list."""
    out = []
    for index, step in enumerate(flow.steps.values()):
        payload = step.payload
        if isinstance(payload, If):
            targets = [(b.goto, b.when if b.when is not None else "else")
                       for b in payload.branches]
        elif isinstance(payload, Goto):
            targets = [(payload.target, "")]
        else:
            following = flow.next_of(step)
            targets = [(following, "")] if following else []
        out.append(Node(step.id, step.kind, targets, start=index == 0))
    return out


@dataclass(frozen=True)
class ListingLine:
    number: int
    text: str
    problems: list[str] = field(default_factory=list)


def listing(text: str, issues: list[ContentIssue]) -> list[ListingLine]:
    by_line: dict[int, list[str]] = {}
    for issue in issues:
        by_line.setdefault(issue.line, []).append(issue.message)
    lines = text.splitlines() or [""]
    lines += [""] * (max(by_line, default=0) - len(lines))  # e.g. "unexpected end of file"
    return [
        ListingLine(number, line, by_line.get(number, []))
        for number, line in enumerate(lines, start=1)
    ]


@dataclass(frozen=True)
class ChatLine:
    who: str  # bot | person | note
    text: str
    buttons: list[str] = field(default_factory=list)


def test_chat(
    bundle: ContentBundle, flow_id: str, answers: list[str], *, lang: str, today: date,
    resolve_municipality: ResolveMunicipality | None = None,
) -> list[ChatLine]:
    """Run the edited flow: start it, then give it the typed answers one by one."""
    engine = FlowEngine(bundle, resolve_municipality)
    lines: list[ChatLine] = []

    def show(outcome: StepOutcome) -> None:
        for output in outcome.outputs:
            lines.append(ChatLine("bot", output.text, [b.label for b in output.buttons]))
        if outcome.status == "handoff":
            lines.append(ChatLine("note", f"hands over to a coach (reason: {outcome.reason})"))
        elif outcome.status == "jobs":
            lines.append(ChatLine("note", "shows job leads here"))
        elif outcome.status == "ended":
            lines.append(ChatLine("note", "the flow ends here"))
        elif outcome.status == "invalid":
            lines.append(ChatLine("note", f"answer not accepted ({outcome.problem})"))

    try:
        outcome = engine.start(flow_id, lang, today)
        show(outcome)
        for answer in answers[:MAX_TEST_ANSWERS]:
            if outcome.state is None:
                lines.append(ChatLine("note", f"not sent, the flow is over: {answer}"))
                continue
            lines.append(ChatLine("person", answer))
            outcome = engine.answer(outcome.state, answer, lang, today)
            show(outcome)
    except ContentError as exc:
        lines.append(ChatLine("note", f"the flow stopped with an error: {exc}"))
    return lines


_VERSION = re.compile(r"^version:[ \t]*\d+[ \t]*$", re.MULTILINE)
_FLOW = re.compile(r"^flow:.*$", re.MULTILINE)


def with_version(text: str, number: int) -> str:
    """Set the flow's top-level `version:` (the console bumps it on every publish)."""
    if _VERSION.search(text):
        return _VERSION.sub(f"version: {number}", text, count=1)
    match = _FLOW.search(text)
    if match is None:
        return text
    return text[: match.end()] + f"\nversion: {number}" + text[match.end():]


def answers_from(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()][:MAX_TEST_ANSWERS]


def flow_version(bundle: ContentBundle, flow_id: str) -> int:
    flow = bundle.flows.get(flow_id)
    return flow.version if flow is not None else 0

