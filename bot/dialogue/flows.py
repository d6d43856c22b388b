"""Running flows for one turn: the engine's state <-> the stored state, outputs -> replies.

A content problem found while running (a rule missing, a step that no longer exists after a
publish) must never leave a person stuck on a broken step: the flow is cleared, the problem
logged, and the person gets the menu.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.content.provenance import notices, provenance
from bot.dialogue.render import Rendered
from bot.errors import ContentError
from bot.flows.engine import depends_on, values_of
from bot.flows.model import Answer, Source
from bot.flows.render import format_value, render
from bot.flows.state import FlowOutput, FlowState, StaleStateError, StepOutcome
from bot.language.detect import word_count
from bot.messages import Button, Link, OutgoingMessage

if TYPE_CHECKING:
    from bot.dialogue.manager import Services, Turn

logger = logging.getLogger(__name__)

DATE_PROBLEMS = frozenset({"invalid_day", "future", "too_old", "vague"})
# Slots that outlive a flow: a shared location ([lat, lon]) and a place the person named (a
# municipality code), both for job leads near them.
KEPT_SLOTS = frozenset({"location", "place"})


class FlowRunner:
    def __init__(self, services: Services) -> None:
        self.s = services

    # -- state -------------------------------------------------------------------------------

    @staticmethod
    def current(turn: Turn) -> FlowState | None:
        st = turn.state
        if not st.flow_id or not st.step_id:
            return None
        return FlowState(
            flow_id=st.flow_id, flow_version=st.flow_version or 0, step_id=st.step_id,
            slots=dict(st.slots), retries=st.retries,
            back_stack=[(step, dict(slots)) for step, slots in st.back_stack],
            prefill=dict(st.pending.get("prefill") or {}),
        )

    @staticmethod
    def save(turn: Turn, flow_state: FlowState | None) -> None:
        st = turn.state
        pending = {k: v for k, v in st.pending.items() if k != "prefill"}
        if flow_state is None:
            st.flow_id = st.step_id = None
            st.flow_version = None
            st.retries = 0
            st.back_stack = []
            st.pending = pending
            # a shared location and a place named are kept across flows for job leads; the
            # flow's answers are not
            st.slots = {k: v for k, v in st.slots.items() if k in KEPT_SLOTS}
            return
        st.flow_id, st.step_id = flow_state.flow_id, flow_state.step_id
        st.flow_version = flow_state.flow_version
        st.slots = {**{k: v for k, v in st.slots.items() if k in KEPT_SLOTS},
                    **flow_state.slots}
        st.retries = flow_state.retries
        st.back_stack = [[step, slots] for step, slots in flow_state.back_stack]
        st.pending = {**pending, "prefill": flow_state.prefill} if flow_state.prefill else pending

    def clear(self, turn: Turn) -> None:
        self.save(turn, None)
        turn.state.awaiting = None

    # -- actions -----------------------------------------------------------------------------

    async def start(self, turn: Turn, flow_id: str) -> None:
        """Start a flow; what the person already said answers its date and place questions
        (a typed date in the message that started it, a place named in the conversation)."""
        engine = self.s.content.engine
        if flow_id not in self.s.content.bundle.flows:
            logger.error("flow %r does not exist", flow_id)
            flow_id = "main_menu"
        turn.state.awaiting = None
        prefill = self._prefill(turn)
        await self._apply(turn, lambda: engine.start(flow_id, turn.lang, turn.today, prefill))

    def _prefill(self, turn: Turn) -> dict[str, str]:
        prefill = {}
        if turn.msg.kind == "text" and turn.text and not turn.msg.payload:
            prefill["date"] = turn.text
        code = turn.state.slots.get("place")
        places = self.s.places
        if isinstance(code, str) and places is not None:
            try:
                prefill["municipality"] = places.get(code).name
            except KeyError:
                logger.warning("a remembered place code is no longer known")
        return prefill

    async def resume(self, turn: Turn) -> None:
        state = self.current(turn)
        if state is None:
            await self.start(turn, "main_menu")
            return
        engine = self.s.content.engine
        await self._apply(turn, lambda: engine.resume(state, turn.lang, turn.today))

    async def back(self, turn: Turn) -> bool:
        state = self.current(turn)
        if state is None or not state.back_stack:
            return False
        engine = self.s.content.engine
        await self._apply(turn, lambda: engine.back(state, turn.lang, turn.today))
        return True

    async def answer(self, turn: Turn, value: str, *, force: bool = False) -> bool:
        """Take `value` as the answer to the current question.

        Returns False (and changes nothing) when the answer is invalid but the text reads as
        a confident question of its own; the policy then answers it and offers to resume.
        """
        state = self.current(turn)
        if state is None:
            return False
        engine = self.s.content.engine
        try:
            outcome = engine.answer(state, value, turn.lang, turn.today)
        except (StaleStateError, ContentError) as exc:
            await self._broken(turn, exc)
            return True
        if outcome.status == "invalid" and not force and await self._is_other_question(turn):
            return False
        if outcome.status == "invalid" and not force and self._not_an_answer(turn, outcome):
            # a question or remark the bot cannot answer: say so, then ask again (the hint,
            # "please tap one of the buttons", would answer a question nobody asked)
            outcome.problem, outcome.outputs = "not_an_answer", outcome.outputs[-1:]
            turn.meta["not_an_answer"] = True  # a near miss for the unanswered list
        await self._render_outcome(turn, outcome)
        return True

    async def answer_location(self, turn: Turn, lat: float, lon: float) -> bool:
        """A shared location answers a municipality question."""
        places = self.s.places
        state = self.current(turn)
        if places is None or state is None:
            return False
        flow = self.s.content.bundle.flows.get(state.flow_id)
        step = flow.steps.get(state.step_id) if flow else None
        ask = getattr(step, "payload", None)
        if getattr(ask, "type", None) != "municipality":
            return False
        match = places.at(lat, lon)
        if match is None:
            return False
        return await self.answer(turn, match.municipality_name, force=True)

    async def show_answer(self, turn: Turn, answer: Answer, *, intent: str) -> None:
        """An FAQ answer with its rule values filled in, its footer and its notices."""
        r, bundle = self.s.renderer, self.s.content.bundle
        text, used = render(answer.text, turn.lang, values_of(bundle, turn.today))
        rendered = await r.fallback(text, used, turn.lang)
        buttons = [Button(b.label.get(turn.lang)[0], b.payload) for b in answer.buttons]
        links = self._links(answer.sources)
        turn.replies.append(await r.message(
            rendered, turn.lang, buttons=buttons, links=links,
            provenance=provenance(answer.sources, turn.today),
            meta={"intent": intent, "flow": turn.state.flow_id, "step": turn.state.step_id},
        ))
        await self.add_notices(turn, depends_on(bundle, answer.text, answer.rules))

    async def add_notices(self, turn: Turn, rule_ids: Iterable[str]) -> None:
        """The notices of these rules (bot/content/provenance.py) as one message after the
        reply, each said once per turn."""
        shown = turn.notices_shown
        fresh = [n for n in notices(self.s.content.bundle, rule_ids, turn.today)
                 if n.key not in shown]
        if not fresh:
            return
        shown.update(n.key for n in fresh)
        r = self.s.renderer
        parts = [await r.notice_text(n, turn.lang) for n in fresh]
        turn.replies.append(await r.message(
            Rendered("\n\n".join(parts), turn.lang), turn.lang,
            meta={"notices": [n.rule_id for n in fresh], "flow": turn.state.flow_id,
                  "step": turn.state.step_id}))

    async def flow_title(self, flow_id: str, lang: str) -> str:
        flow = self.s.content.bundle.flows.get(flow_id)
        return flow.title.get(lang)[0] if flow else flow_id

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _not_an_answer(turn: Turn, outcome: StepOutcome) -> bool:
        """Typed text that is no attempt at an answer: a question ("?") or a sentence of three
        words or more that is neither yes nor no nor a date the reader half understood."""
        text = turn.text.strip()
        if not text or turn.msg.kind != "text" or outcome.problem in DATE_PROBLEMS:
            return False
        parse = turn.parse
        if parse is not None and parse.base_intent in ("affirm", "deny"):
            return False
        return text.endswith(("?", "؟", "፧", "？")) or word_count(text) >= 3

    async def _is_other_question(self, turn: Turn) -> bool:
        from bot.dialogue.policy import SMALL_TALK

        if not turn.text or turn.msg.kind == "button":
            return False
        if turn.parse is None or turn.parse.text != turn.nlu_text:
            turn.parse = await self.s.nlu.parse(turn.nlu_text, lang_hint=turn.lang)
        parse = turn.parse
        base = parse.base_intent
        confident = parse.intent.confidence >= self.s.settings.nlu.threshold
        bundle = self.s.content.bundle
        has_action = bundle.answer_for(parse.intent.name) is not None or base in (
            "request_human", "change_language")
        return confident and base not in SMALL_TALK and has_action

    async def _apply(
        self, turn: Turn, run: Callable[[], StepOutcome]
    ) -> None:
        try:
            outcome = run()
        except (StaleStateError, ContentError) as exc:
            await self._broken(turn, exc)
            return
        await self._render_outcome(turn, outcome)

    async def _broken(self, turn: Turn, exc: Exception) -> None:
        logger.error("flow %s/%s cannot go on: %s", turn.state.flow_id, turn.state.step_id, exc)
        self.clear(turn)
        r = self.s.renderer
        rendered = await r.ui("error.generic", turn.lang)
        turn.replies.append(await r.message(rendered, turn.lang))
        if turn.state.flow_id != "main_menu" and "main_menu" in self.s.content.bundle.flows:
            try:
                outcome = self.s.content.engine.start("main_menu", turn.lang, turn.today)
            except ContentError:
                logger.exception("the main menu itself is broken")
                return
            await self._render_outcome(turn, outcome)

    async def _render_outcome(self, turn: Turn, outcome: StepOutcome) -> None:
        r = self.s.renderer
        flow_id = outcome.state.flow_id if outcome.state else turn.state.flow_id
        for note in outcome.notes:
            if note.code == "day_assumed":
                turn.replies.append(await r.message(await r.ui("flow.day_assumed", turn.lang),
                                                    turn.lang))
            elif note.code == "prefilled":  # said before it was asked: say so, offer Back
                shown = self._shown(note.slot, note.value, turn.lang)
                change = Button(await r.ui_text("button.change", turn.lang), "cmd:back")
                turn.replies.append(await r.message(
                    await r.ui("flow.prefilled", turn.lang, value=shown), turn.lang,
                    buttons=[change]))
            elif note.code == "year_assumed" and isinstance(note.value, str):  # "6 October"
                turn.replies.append(await r.message(await r.ui(
                    "flow.year_assumed", turn.lang, date=format_value(note.value, turn.lang)),
                    turn.lang, buttons=[Button(await r.ui_text("button.change", turn.lang),
                                               "cmd:back")]))
            elif note.code == "approximate" and isinstance(note.value, str):  # "7 months ago"
                day = format_value(note.value, turn.lang)
                turn.replies.append(await r.message(
                    await r.ui("flow.date_approximate", turn.lang, date=day), turn.lang))
        if outcome.status == "invalid" and outcome.problem == "not_an_answer":
            turn.replies.append(await r.message(await r.ui("flow.not_an_answer", turn.lang),
                                                turn.lang))
        elif outcome.status == "invalid" and outcome.problem:
            key = self._hint_key(turn, outcome.problem)
            if key:
                turn.replies.append(await r.message(await r.ui(key, turn.lang), turn.lang))
        for output in outcome.outputs:
            turn.replies.append(await self._reply(turn, output, flow_id))
            await self.add_notices(turn, output.rules)
        if outcome.status == "invalid" and outcome.offer_coach:
            buttons = [
                Button(await r.ui_text("button.coach", turn.lang), "cmd:coach"),
                Button(await r.ui_text("button.stop", turn.lang), "cmd:stop"),
            ]
            turn.replies.append(await r.message(await r.ui("flow.invalid_coach", turn.lang),
                                                turn.lang, buttons=buttons))
        if outcome.status == "handoff":
            from bot.handoff import desk

            # the flow's answers (the reason the person chose) go into the ticket's summary
            turn.state.slots = {**turn.state.slots, **(outcome.slots or {})}
            chosen = (outcome.slots or {}).get("coach_reason")
            await desk.request(self.s, turn, str(chosen) if chosen else outcome.reason)
        self.save(turn, outcome.state)
        if outcome.status == "jobs":
            await self._show_jobs(turn, outcome)

    def _shown(self, slot: str, value: object, lang: str) -> str:
        """A stored answer as the person reads it: a municipality by name, a date in words."""
        places = self.s.places
        if slot == "municipality" and isinstance(value, str) and places is not None:
            try:
                return places.get(value).name
            except KeyError:
                return value
        return format_value(value, lang) if isinstance(value, str) else str(value)

    def _hint_key(self, turn: Turn, problem: str) -> str | None:
        """A problem-specific hint where the step's own hint is too general."""
        if problem in DATE_PROBLEMS:
            return f"hint.date.{problem}"
        flow = self.s.content.bundle.flows.get(turn.state.flow_id or "")
        step = flow.steps.get(turn.state.step_id or "") if flow else None
        ask = getattr(step, "payload", None)
        if ask is not None and getattr(ask, "hint", None) is None:
            kind = getattr(ask, "type", "text")
            return "hint.date.unreadable" if kind == "date" else f"hint.{kind}"
        return None

    async def _show_jobs(self, turn: Turn, outcome: StepOutcome) -> None:
        """Show the job leads matching the flow's answers (bot/jobs/listing.py), then go on."""
        from bot.jobs.listing import DEFAULT_LIMIT, lead_replies

        # The answers are in the outcome's state; the turn's are cleared when the flow ends.
        slots = outcome.state.slots if outcome.state is not None else turn.state.slots
        limit = (outcome.jobs or {}).get("limit", DEFAULT_LIMIT)
        turn.replies += await lead_replies(
            self.s.renderer, turn.session, places=self.s.places, slots=slots, lang=turn.lang,
            today=turn.today, limit=limit if isinstance(limit, int) else DEFAULT_LIMIT,
        )
        if outcome.state is not None:
            await self.resume(turn)

    async def _reply(
        self, turn: Turn, output: FlowOutput, flow_id: str | None
    ) -> OutgoingMessage:
        r = self.s.renderer
        rendered = await r.fallback(output.text, output.language_used, turn.lang)
        return await r.message(
            rendered, turn.lang, buttons=output.buttons, links=self._links(output.sources),
            provenance=provenance(output.sources, turn.today),
            meta={"flow": flow_id, "step": output.step_id},
        )

    @staticmethod
    def _links(sources: Iterable[Source]) -> list[Link]:
        return [Link(source.title or source.url.split("/")[2], source.url)
                for source in sources]
