"""The flow stepper: pure, no I/O. Given content and a FlowState, say what to send next.

Running from a step executes say, set, if and goto steps until a step needs the person (an
`ask` waits for the answer) or hands over (`handoff`, `jobs`) or the flow ends. `handoff` and
`jobs` end the flow unless the step names a `next`; then the returned state points there and
`resume` continues once the coach or the job list is done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from bot.errors import ContentError
from bot.flows.expressions import EvalContext, evaluate
from bot.flows.model import (
    AskSpec,
    ContentBundle,
    End,
    Flow,
    Goto,
    Handoff,
    If,
    Jobs,
    LocalText,
    Say,
    SetValues,
    Source,
    Step,
)
from bot.flows.render import MonthYear, placeholders, render
from bot.flows.slots import ResolveMunicipality, SlotInvalid, validate_answer
from bot.flows.state import FlowOutput, FlowState, SlotNote, StaleStateError, StepOutcome
from bot.messages import Button

# Question types a sentence can answer in passing ("I applied on 6 October", "near Budel").
PREFILLABLE = frozenset({"date", "municipality"})
MAX_RETRIES = 3  # after this many invalid answers a coach is offered (docs/flows.md)
MAX_STEPS = 200  # a goto loop without an ask is a content bug, not an endless loop


def depends_on(
    bundle: ContentBundle, text: LocalText, explicit: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The rules a text depends on: those it names in `rules:` and those whose value it
    shows as a `{rule_id}` placeholder (their notices go with the text)."""
    known = {rule.id for rule in bundle.rules}
    named = {name for name in placeholders(text) if name in known}
    return tuple(dict.fromkeys([*explicit, *sorted(named)]))


def content_value(bundle: ContentBundle, name: str, today: date) -> Any:
    """The value of a placeholder that is not a slot: `{today}`, `{rules_as_of}` (a month)
    or `{rule_id}`, the value of that rule today (docs/flows.md, "Rule values in texts")."""
    if name == "today":
        return today
    if name == "rules_as_of":
        as_of = bundle.rules_as_of(today)
        return MonthYear(as_of.year, as_of.month, 1)
    value = bundle.text_value(name, today)
    if value is None:
        raise ContentError(f"{{{name}}} is neither a slot filled on this path through the "
                           "flow, nor a rule in force or ended in rules.yml")
    return value


def values_of(bundle: ContentBundle, today: date) -> Callable[[str], Any]:
    """A placeholder lookup for texts outside a flow (answers, glossary, employer's page)."""
    return lambda name: content_value(bundle, name, today)


class FlowEngine:
    """Steps through the flows of one ContentBundle."""

    def __init__(
        self,
        bundle: ContentBundle,
        resolve_municipality: ResolveMunicipality | None = None,
        *,
        max_invalid_answers: int = MAX_RETRIES,  # config.yml dialogue.max_invalid_answers
    ) -> None:
        self.bundle = bundle
        self.resolve_municipality = resolve_municipality
        self.max_invalid_answers = max_invalid_answers

    def start(self, flow_id: str, lang: str, today: date,
              prefill: Mapping[str, str] | None = None) -> StepOutcome:
        """Start a flow and run it up to its first question (or its end).

        `prefill` maps a question type ("date", "municipality") to what the person already
        wrote ("I applied on 6 October", "near AZC Budel"): the first question of that type
        takes it as its answer when it reads as one (a `prefilled` note says so), else it is
        asked as usual; Back asks it. Choices and yes/no are never prefilled."""
        flow = self.bundle.flows.get(flow_id)
        if flow is None or not flow.steps:
            raise ContentError(f"there is no flow {flow_id!r} with steps")
        state = FlowState(flow.id, flow.version, flow.first_step.id, prefill={
            kind: text for kind, text in (prefill or {}).items()
            if kind in PREFILLABLE and text})
        return self._run(flow, state, lang, today, [])

    def resume(self, state: FlowState, lang: str, today: date) -> StepOutcome:
        """Run from the current step again: re-asks the current question."""
        state = FlowState.from_dict(state.to_dict())
        flow, _ = self._locate(state)
        return self._run(flow, state, lang, today, [])

    def back(self, state: FlowState, lang: str, today: date) -> StepOutcome:
        """Go back to the previous question, forgetting the answers given since."""
        state = FlowState.from_dict(state.to_dict())
        if state.back_stack:
            state.step_id, state.slots = state.back_stack.pop()
            state.retries = 0
        flow, _ = self._locate(state)
        return self._run(flow, state, lang, today, [])

    def answer(
        self, state: FlowState, text_or_payload: str, lang: str, today: date
    ) -> StepOutcome:
        """Take the answer to the current question and go on, or re-ask it with the hint."""
        state = FlowState.from_dict(state.to_dict())
        flow, step = self._locate(state)
        ask = step.payload
        if not isinstance(ask, AskSpec):
            return self._run(flow, state, lang, today, [])
        result = validate_answer(
            ask, text_or_payload, lang, self.bundle.keywords, today, self.resolve_municipality
        )
        if isinstance(result, SlotInvalid):
            state.retries += 1
            outputs = []
            if ask.hint is not None:
                outputs.append(self._output(ask.hint, lang, state, today, step.id))
            outputs.append(self._question(ask, lang, state, today, step.id))
            return StepOutcome(
                "invalid", outputs, state, problem=result.code,
                offer_coach=state.retries >= self.max_invalid_answers,
            )
        state.back_stack.append((step.id, dict(state.slots)))
        state.slots[ask.slot] = result.value
        state.retries = 0
        notes = [SlotNote(ask.slot, result.note, result.value)] if result.note else []
        outcome = self._advance(flow, step, state, [])
        if outcome is None:
            outcome = self._run(flow, state, lang, today, [])
        outcome.notes[:0] = notes
        return outcome

    def _locate(self, state: FlowState) -> tuple[Flow, Step]:
        flow = self.bundle.flows.get(state.flow_id)
        if flow is None or state.step_id not in flow.steps:
            raise StaleStateError(
                f"saved position {state.flow_id}/{state.step_id} no longer exists"
            )
        state.flow_version = flow.version
        return flow, flow.steps[state.step_id]

    def _run(
        self, flow: Flow, state: FlowState, lang: str, today: date, outputs: list[FlowOutput]
    ) -> StepOutcome:
        notes: list[SlotNote] = []
        for _ in range(MAX_STEPS):
            step = flow.steps.get(state.step_id)
            if step is None:
                raise ContentError(f"{flow.id}: step {state.step_id!r} does not exist")
            try:
                if self._prefilled(flow, step, state, lang, today, notes):
                    continue
                outcome = self._execute(flow, step, state, lang, today, outputs)
            except ContentError as exc:
                raise ContentError(f"{flow.file or flow.id}:{step.line}: {flow.id}/{step.id}: "
                                   f"{exc}") from exc
            if outcome is not None:
                outcome.notes[:0] = notes
                return outcome
        raise ContentError(f"{flow.id}: more than {MAX_STEPS} steps without a question")

    def _prefilled(self, flow: Flow, step: Step, state: FlowState, lang: str, today: date,
                   notes: list[SlotNote]) -> bool:
        """Answer this question with what the person already said, if it reads as an answer;
        True when the flow moved on (the prefill is used up either way)."""
        ask = step.payload
        if not isinstance(ask, AskSpec) or ask.type not in state.prefill:
            return False
        said = state.prefill.pop(ask.type)
        if ask.slot in state.slots:
            return False
        result = validate_answer(
            ask, said, lang, self.bundle.keywords, today, self.resolve_municipality)
        if isinstance(result, SlotInvalid):
            return False
        state.back_stack.append((step.id, dict(state.slots)))
        state.slots[ask.slot] = result.value
        notes.append(SlotNote(ask.slot, "prefilled", result.value))
        if result.note:
            notes.append(SlotNote(ask.slot, result.note, result.value))
        target = flow.next_of(step)
        if target is None:
            raise ContentError("a prefilled question is the flow's last step")
        state.step_id = target
        return True

    def _execute(
        self, flow: Flow, step: Step, state: FlowState, lang: str, today: date,
        outputs: list[FlowOutput],
    ) -> StepOutcome | None:
        payload = step.payload
        if isinstance(payload, AskSpec):
            outputs.append(self._question(payload, lang, state, today, step.id))
            return StepOutcome("waiting", outputs, state)
        if isinstance(payload, Say):
            outputs.append(self._say(payload, lang, state, today, step.id))
        elif isinstance(payload, SetValues):
            ctx = self._context(state, today)
            for name, source in payload.values.items():
                value = evaluate(source, ctx)
                state.slots[name] = value.isoformat() if isinstance(value, date) else value
        elif isinstance(payload, If):
            state.step_id = self._branch(payload, self._context(state, today))
            return None
        elif isinstance(payload, Goto):
            state.step_id = payload.target
            return None
        elif isinstance(payload, Handoff | Jobs):
            after = None
            if step.next is not None:
                state.step_id = step.next
                after = state
            if isinstance(payload, Handoff):
                return StepOutcome("handoff", outputs, after, reason=payload.reason,
                                   slots=dict(state.slots))
            return StepOutcome("jobs", outputs, after, jobs=dict(payload.params))
        elif isinstance(payload, End):
            if payload.text is not None:
                outputs.append(self._output(payload.text, lang, state, today, step.id))
            return StepOutcome("ended", outputs, None)
        else:
            raise ContentError("step has no action")
        return self._advance(flow, step, state, outputs)

    @staticmethod
    def _branch(branches: If, ctx: EvalContext) -> str:
        for branch in branches.branches:
            if branch.when is None or evaluate(branch.when, ctx):
                return branch.goto
        raise ContentError("no `if` branch was true and there is no `else`")

    @staticmethod
    def _advance(
        flow: Flow, step: Step, state: FlowState, outputs: list[FlowOutput]
    ) -> StepOutcome | None:
        """Move to the step after `step`; an outcome when there is none (the flow ends)."""
        target = flow.next_of(step)
        if target is None:
            return StepOutcome("ended", outputs, None)
        state.step_id = target
        return None

    def _context(self, state: FlowState, today: date) -> EvalContext:
        return EvalContext(
            slots=state.slots,
            today=today,
            rule=lambda rule_id: self.bundle.rule_value(rule_id, today),
            builtins={"rules_as_of": lambda: content_value(self.bundle, "rules_as_of", today),
                      "today": lambda: today},
            in_force=lambda rule_id: any(
                r.id == rule_id and r.applies_on(today) for r in self.bundle.rules),
        )

    def _lookup(self, state: FlowState, today: date, lang: str) -> Callable[[str], Any]:
        """Values for `{name}` placeholders: slots (yes/no as words), then the built-ins."""
        def lookup(name: str) -> Any:
            if name in state.slots:
                value = state.slots[name]
                if isinstance(value, bool):
                    return self._yes_no_labels(lang)[0 if value else 1]
                return value
            return content_value(self.bundle, name, today)

        return lookup

    def _output(
        self, text: LocalText, lang: str, state: FlowState, today: date, step_id: str,
        buttons: list[Button] | None = None, sources: tuple[Source, ...] = (),
        rules: tuple[str, ...] = (),
    ) -> FlowOutput:
        rendered, used = render(text, lang, self._lookup(state, today, lang))
        return FlowOutput(
            rendered, used, buttons or [], list(sources), step_id, used in text.unreviewed,
            depends_on(self.bundle, text, rules),
        )

    def _label(self, text: LocalText, lang: str, state: FlowState, today: date) -> str:
        return render(text, lang, self._lookup(state, today, lang))[0]

    def _say(
        self, say: Say, lang: str, state: FlowState, today: date, step_id: str
    ) -> FlowOutput:
        text, buttons, sources, rules = say.text, say.buttons, say.sources, say.rules
        if say.answer is not None:
            answer = self.bundle.answer_for(say.answer)
            if answer is None:
                raise ContentError(f"no FAQ answer for {say.answer!r}")
            text = answer.text
            buttons, sources = answer.buttons + buttons, answer.sources + sources
            rules = answer.rules + rules
        if text is None:
            raise ContentError("`say` has neither text nor answer")
        rendered = [Button(self._label(b.label, lang, state, today), b.payload) for b in buttons]
        return self._output(text, lang, state, today, step_id, rendered, sources, rules)

    def _question(
        self, ask: AskSpec, lang: str, state: FlowState, today: date, step_id: str
    ) -> FlowOutput:
        buttons = [
            Button(self._label(o.label, lang, state, today), f"answer:{o.value}")
            for o in ask.options
        ]
        if ask.type == "yes_no":
            yes, no = self._yes_no_labels(lang)
            buttons = [Button(yes, "answer:yes"), Button(no, "answer:no")]
        return self._output(ask.text, lang, state, today, step_id, buttons)

    def _yes_no_labels(self, lang: str) -> tuple[str, str]:
        labels = []
        for word, default in (("yes", "Yes"), ("no", "No")):
            words = self.bundle.keywords.words_for(word, lang) or self.bundle.keywords.words_for(
                word, "en"
            )
            labels.append(words[0][:1].upper() + words[0][1:] if words else default)
        return labels[0], labels[1]
