"""What the flow engine keeps between messages (FlowState) and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.errors import ContentError
from bot.flows.model import Source
from bot.messages import Button

Status = Literal["waiting", "ended", "handoff", "jobs", "invalid"]


class StaleStateError(ContentError):
    """The saved state points at a flow or step that no longer exists: restart the flow."""


@dataclass
class FlowState:
    """Where a person is in a flow; plain data, stored as JSON by the dialogue."""

    flow_id: str
    flow_version: int
    step_id: str
    slots: dict[str, Any] = field(default_factory=dict)
    retries: int = 0
    back_stack: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # What the person already said, by question type ("date", "municipality"), to answer the
    # first question of that type without asking it (FlowEngine.start; each is used once).
    prefill: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "flow_version": self.flow_version,
            "step_id": self.step_id,
            "slots": dict(self.slots),
            "retries": self.retries,
            "back_stack": [[step, dict(slots)] for step, slots in self.back_stack],
            "prefill": dict(self.prefill),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowState:
        return cls(
            flow_id=data["flow_id"],
            flow_version=int(data["flow_version"]),
            step_id=data["step_id"],
            slots=dict(data.get("slots", {})),
            retries=int(data.get("retries", 0)),
            back_stack=[(step, dict(slots)) for step, slots in data.get("back_stack", [])],
            prefill={str(k): str(v) for k, v in dict(data.get("prefill") or {}).items()},
        )


@dataclass(frozen=True)
class FlowOutput:
    """One message to send: text in `language_used` (machine-translate when it is not the
    person's language), buttons with payloads, sources to show as links."""

    text: str
    language_used: str
    buttons: list[Button] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    step_id: str = ""
    unreviewed: bool = False
    rules: tuple[str, ...] = ()  # rules the text depends on (its notices go with it)


@dataclass(frozen=True)
class SlotNote:
    """Something the reply should mention about a stored answer (e.g. day_assumed)."""

    slot: str
    code: str
    value: Any


@dataclass
class StepOutcome:
    status: Status
    outputs: list[FlowOutput]
    state: FlowState | None  # None when the flow is over
    reason: str | None = None  # handoff reason
    problem: str | None = None  # invalid: the code from slots.validate_answer
    offer_coach: bool = False  # invalid MAX_RETRIES times in a row
    jobs: dict[str, Any] | None = None  # jobs: the step's parameters
    notes: list[SlotNote] = field(default_factory=list)
    slots: dict[str, Any] | None = None  # handoff: the answers so far (the ticket's summary)
