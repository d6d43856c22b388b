"""What to do with one message: consent, commands, flow answers, FAQ, clarify, fallback.

The order is fixed and written once, in `Policy.run`:
  1. consent (nothing is logged before it)
  2. things that are not text (photo, voice, sticker, location)
  3. commands and buttons: stop/cancel, back, menu, continue, coach, language, lang:xx
  4. an answer to the question the active flow asked
  5. a question: intent -> start a flow | FAQ answer | clarify | fallback (-> coach)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.dialogue.consent import ConsentDesk
from bot.dialogue.flows import FlowRunner
from bot.dialogue.render import Rendered
from bot.dialogue.text import command_form, has_readable_text
from bot.flows.safety import find_sign, sign_for_intent
from bot.handoff import desk
from bot.jobs.places import PlaceMatch
from bot.messages import Button, Link
from bot.nlu.base import OUT_OF_SCOPE
from bot.reminders import service as reminders

if TYPE_CHECKING:
    from bot.dialogue.manager import Services, Turn

logger = logging.getLogger(__name__)

# Intents that never trigger an FAQ detour in the middle of a flow: they are answers or chat.
SMALL_TALK = frozenset({"greet", "goodbye", "thank", "affirm", "deny", OUT_OF_SCOPE})
# Topics offered as buttons when the NLU is unsure (never small talk).
CLARIFY_EXCLUDED = SMALL_TALK | {"bot_challenge"}
COMMAND_WORDS = ("stop", "cancel", "back", "menu", "continue", "coach", "language")
# A message with a place and at most this many other words ("Budel", "ik woon in azc Budel")
# is about the place: the bot asks what the person wants to know about it.
PLACE_ONLY_WORDS = 2


class Policy(ConsentDesk):
    def __init__(self, services: Services) -> None:
        self.s = services
        self.flows = FlowRunner(services)

    # -- entry -------------------------------------------------------------------------------

    async def run(self, turn: Turn) -> None:
        if await self._privacy_command(turn):
            return
        if turn.person.consent_at is None:
            await self._consent(turn)
            return
        if await desk.intercept(self.s, turn):
            return  # a coach owns the conversation: the message is saved for them
        if turn.msg.kind == "other":
            await self._unsupported(turn)
            return
        if turn.msg.kind == "location" and turn.msg.location is not None:
            await self._location(turn)
            return
        # a reminder offer answered, or a reminder's cancel button (bot/reminders/service.py)
        if await reminders.handle(self.s, self.flows, turn):
            return
        if turn.msg.payload and await self._payload(turn, turn.msg.payload):
            return
        if await self._command_word(turn):
            return
        if turn.truncated:
            await self._say_ui(turn, "input.too_long")
        await self._text(turn)

    async def _text(self, turn: Turn) -> None:
        """A typed message: a safety sign first (always), then the glossary, an answer to the
        flow's question, or a question of its own. Also the first question, held until
        consent (bot/dialogue/consent.py)."""
        sign = find_sign(self.s.content.bundle.safety, turn.text) if turn.text else None
        if sign is not None:
            await self._safety(turn, sign.id, sign.answer)
            return
        if turn.text and await self._glossary(turn):  # "what is a TWV?", /glossary
            return
        if turn.state.awaiting == "resume" and await self._resume_answer(turn):
            return
        if turn.state.flow_id and await self.flows.answer(turn, turn.text):
            return
        await self._question(turn)

    # -- non-text input ----------------------------------------------------------------------

    async def _unsupported(self, turn: Turn) -> None:
        r = self.s.renderer
        buttons = [
            Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"),
            Button(await r.ui_text("button.coach", turn.lang), "cmd:coach"),
        ]
        rendered = await r.ui("input.unsupported", turn.lang)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))
        if turn.state.flow_id:
            await self.flows.resume(turn)

    async def _location(self, turn: Turn) -> None:
        lat, lon = turn.msg.location or (0.0, 0.0)
        turn.state.slots = {**turn.state.slots, "location": [lat, lon]}
        if turn.state.flow_id and await self.flows.answer_location(turn, lat, lon):
            return
        await self._say_ui(turn, "input.location_saved")

    # -- commands ----------------------------------------------------------------------------

    async def _command_word(self, turn: Turn) -> bool:
        word = self._keyword(turn.text)
        if word in COMMAND_WORDS:
            return await self._command(turn, word or "")
        if turn.text.startswith("/") and command_form(turn.text).split(" ")[0] in (
            "start", "menu", "help", "coach", "language", "cancel", "stop", "back"
        ):
            name = command_form(turn.text).split(" ")[0]
            mapped = {"start": "menu", "help": "menu", "cancel": "stop"}.get(name, name)
            return await self._command(turn, mapped)
        return False

    async def _payload(self, turn: Turn, payload: str) -> bool:
        kind, _, value = payload.partition(":")
        if kind == "cmd":
            return await self._command(turn, value)
        if kind == "lang":
            await self._set_language(turn, value, confirm=True)
            if turn.state.flow_id:
                await self.flows.resume(turn)
            return True
        if kind == "original":
            await desk.show_original(self.s, turn, value)
            return True
        if kind == "flow" and value == "coach":
            await self._coach(turn)
            return True
        if kind == "flow":
            await self.flows.start(turn, value)
            return True
        if kind == "intent":
            await self._act_on_intent(turn, value)
            return True
        if kind == "place" and value.startswith("jobs:"):
            await self._place_jobs(turn, value.removeprefix("jobs:")[:16])
            return True
        if kind == "answer":
            if turn.state.flow_id:
                turn.state.awaiting = None
                await self.flows.answer(turn, payload, force=True)
            else:
                await self._say_ui(turn, "flow.question_closed")
                await self.flows.start(turn, "main_menu")
            return True
        # only the kind: a web client can put any words of its own in a payload
        logger.warning("unknown button payload of kind %r", kind[:16])
        return False

    async def _command(self, turn: Turn, name: str) -> bool:
        state = turn.state
        if name in ("stop", "cancel"):
            self.flows.clear(turn)
            await self._say_ui(turn, "flow.stopped")
            await self.flows.start(turn, "main_menu")
        elif name == "menu":
            self.flows.clear(turn)
            await self.flows.start(turn, "main_menu")
        elif name == "back":
            if not (state.flow_id and await self.flows.back(turn)):
                await self._say_ui(turn, "flow.nothing_back")
                await self.flows.start(turn, "main_menu")
        elif name == "continue":
            state.awaiting = None
            if state.flow_id:
                await self.flows.resume(turn)
            else:
                await self.flows.start(turn, "main_menu")
        elif name == "coach":
            await self._coach(turn)
        elif name == "coach_cancel":
            await desk.cancel(self.s, turn)
            if desk.restore_flow(turn.state):  # back to where they were before the coach
                await self.flows.resume(turn)
        elif name == "language":
            await self._language_picker(turn)
        elif name == "glossary":
            await self._glossary(turn, listing=True)
        elif name == "employer":
            await self._employer_page(turn)
        else:
            return False
        return True

    async def _coach(self, turn: Turn) -> None:
        """Ask for a coach: unless one is already asked for, keep where the person was."""
        if await desk.already_waiting(self.s, turn):
            return
        desk.remember_flow(turn)
        await self.flows.start(turn, "coach")

    async def _glossary(self, turn: Turn, *, listing: bool = False) -> bool:
        """A Dutch term asked about: its line (then its fuller answer); or the whole list."""
        from bot.dialogue.glossary_reply import glossary_reply

        return await glossary_reply(self, turn, listing=listing)

    async def _employer_page(self, turn: Turn) -> None:
        """The Dutch page for an employer, as text to forward and as PDF links."""
        from bot.content.employer import employer_text
        from bot.flows.engine import values_of

        r = self.s.renderer
        base = self.s.settings.web.base_url
        values = values_of(self.s.content.bundle, turn.today)
        await self._say_ui(turn, "employer.intro")
        links = [Link("PDF (Nederlands)", f"{base}/employer/twv.pdf?lang=nl"),
                 Link("PDF (English)", f"{base}/employer/twv.pdf?lang=en")]
        turn.replies.append(await r.message(
            Rendered(employer_text("nl", values=values), "nl"), "nl", links=links,
            buttons=[Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]))
        from bot.content.attachments import employer_attachments  # the PDFs, for Telegram

        turn.replies[-1].attachments = employer_attachments()

    async def _resume_answer(self, turn: Turn) -> bool:
        """After a question in the middle of a flow we asked 'shall we continue?'."""
        word = self._keyword(turn.text)
        if word in ("yes", "continue"):
            turn.state.awaiting = None
            await self.flows.resume(turn)
            return True
        if word == "no":
            turn.state.awaiting = None
            self.flows.clear(turn)
            await self.flows.start(turn, "main_menu")
            return True
        turn.state.awaiting = None
        return False

    # -- questions ---------------------------------------------------------------------------

    async def _question(self, turn: Turn) -> None:
        if not turn.text:
            await self._say_ui(turn, "input.empty", menu=True)
            return
        if not has_readable_text(turn.text):
            await self._say_ui(turn, "input.no_words", menu=True)
            return
        if turn.parse is None or turn.parse.text != turn.nlu_text:  # the flow may have parsed it
            turn.parse = await self.s.nlu.parse(turn.nlu_text, lang_hint=turn.lang)
        parse, cfg = turn.parse, self.s.settings.nlu
        confidence = parse.intent.confidence
        place = self._remember_place(turn)
        if parse.intent.name != OUT_OF_SCOPE and confidence >= cfg.threshold:
            turn.state.fallbacks = 0
            await self._act_on_intent(turn, parse.intent.name)
            return
        places = self.s.places
        if (place is not None and places is not None
                and places.other_words(turn.text, place) <= PLACE_ONLY_WORDS):
            await self._place_question(turn, place.municipality_code)
            return
        options = [
            s.name for s in parse.intent_ranking
            if s.name.split("/")[0] not in CLARIFY_EXCLUDED
            and s.confidence >= cfg.clarify_threshold
        ]
        if options and parse.intent.name != OUT_OF_SCOPE:
            await self._clarify(turn, options[:3])
            return
        await self._fallback(turn)

    async def _act_on_intent(self, turn: Turn, intent: str) -> None:
        """Do what the intent asks: start its flow, or show its answer."""
        base = intent.split("/", 1)[0]
        bundle = self.s.content.bundle
        if (sign := sign_for_intent(bundle.safety, intent)) is not None:
            await self._safety(turn, sign.id, sign.answer)
            return
        if base == "change_language":
            await self._language_picker(turn)
            return
        if base == "request_human":
            await self._coach(turn)
            return
        in_flow = turn.state.flow_id is not None
        flow = bundle.flow_for_intent(intent)
        if flow is not None and not in_flow:
            await self.flows.start(turn, flow.id)
            return
        answer = bundle.answer_for(intent)
        if answer is None and flow is None:
            await self._fallback(turn)
            return
        if answer is not None:
            await self.flows.show_answer(turn, answer, intent=intent)
        if base == "greet" and not in_flow:
            await self.flows.start(turn, "main_menu")
        if in_flow:
            await self._offer_resume(turn, extra_flow=flow.id if flow else None)

    async def _safety(self, turn: Turn, sign_id: str, answer_key: str) -> None:
        """A sign of exploitation: the sourced answer, then a coach at once."""
        turn.meta["safety"] = sign_id
        turn.state.fallbacks = 0
        turn.state.pending = {**turn.state.pending, "coach_trigger": f"safety:{sign_id}"}
        answer = self.s.content.bundle.answer_for(answer_key)
        if answer is not None and turn.meta.get("safety_answered") != sign_id:
            await self.flows.show_answer(turn, answer, intent=answer_key)
        r = self.s.renderer
        buttons = [Button(await r.ui_text("button.coach", turn.lang), "cmd:coach")]
        if turn.state.flow_id:
            buttons.append(Button(await r.ui_text("button.continue", turn.lang), "cmd:continue"))
            turn.state.awaiting = "resume"
        buttons.append(Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"))
        rendered = await r.ui("safety.offer", turn.lang)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))

    async def _offer_resume(self, turn: Turn, extra_flow: str | None = None) -> None:
        r = self.s.renderer
        buttons = [
            Button(await r.ui_text("button.continue", turn.lang), "cmd:continue"),
            Button(await r.ui_text("button.stop", turn.lang), "cmd:stop"),
        ]
        if extra_flow:
            title = await self.flows.flow_title(extra_flow, turn.lang)
            buttons.append(Button(title, f"flow:{extra_flow}"))
        turn.state.awaiting = "resume"
        rendered = await r.ui("flow.resume", turn.lang)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))

    async def _clarify(self, turn: Turn, intents: list[str]) -> None:
        r = self.s.renderer
        buttons = []
        for name in intents:
            base = name.split("/", 1)[0]
            buttons.append(Button(await r.ui_text(f"topic.{base}", turn.lang), f"intent:{name}"))
        buttons.append(Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"))
        turn.meta["clarify"] = intents
        rendered = await r.ui("clarify.text", turn.lang)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))

    def _remember_place(self, turn: Turn) -> PlaceMatch | None:
        """A municipality named exactly in the message ("near AZC Budel", "ik woon in
        Tilburg"), kept for job leads: the jobs flow will not ask for it again."""
        places = self.s.places
        place = places.resolve(turn.text, fuzzy=False) if places and turn.text else None
        if place is not None:
            turn.state.slots = {**turn.state.slots, "place": place.municipality_code}
        return place

    async def _place_question(self, turn: Turn, code: str) -> None:
        """A place and (almost) nothing else: ask what the person wants to know about it."""
        places, r = self.s.places, self.s.renderer
        try:
            name = places.get(code).name if places is not None else None
        except KeyError:
            name = None
        if name is None:
            await self._fallback(turn)
            return
        turn.meta["place"] = code
        buttons = [
            Button(await r.ui_text("place.jobs", turn.lang, place=name), f"place:jobs:{code}"),
            Button(await r.ui_text("topic.can_i_work", turn.lang), "flow:may_i_work"),
            Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"),
        ]
        rendered = await r.ui("place.ask", turn.lang, place=name)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))

    async def _place_jobs(self, turn: Turn, code: str) -> None:
        """The "jobs near X" button: the jobs flow with X as the answer to its place question
        (an unknown code: the flow asks)."""
        places = self.s.places
        slots = {k: v for k, v in turn.state.slots.items() if k != "place"}
        try:
            if places is not None:
                places.get(code)
                slots["place"] = code
        except KeyError:
            logger.warning("a place button named an unknown municipality code")
        self.flows.clear(turn)
        turn.state.slots = {**turn.state.slots, **slots} if "place" in slots else slots
        await self.flows.start(turn, "jobs")

    async def _fallback(self, turn: Turn) -> None:
        state = turn.state
        state.fallbacks += 1
        r = self.s.renderer
        turn.meta["fallback"] = state.fallbacks
        if state.fallbacks >= self.s.settings.dialogue.fallbacks_before_coach:
            state.fallbacks = 0
            buttons = [
                Button(await r.ui_text("button.coach", turn.lang), "cmd:coach"),
                Button(await r.ui_text("button.menu", turn.lang), "cmd:menu"),
            ]
            rendered = await r.ui("fallback.coach", turn.lang)
            turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))
            return
        await self._say_ui(turn, "fallback.text", menu=True)
        if state.flow_id:
            await self.flows.resume(turn)
