"""Consent, privacy and the replies every part of the policy shares.

Nothing about a person is logged before they agree; /privacy and /forget work at any moment,
also before consent. Policy (bot/dialogue/policy.py) builds on this class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.db.models import utcnow
from bot.dialogue.text import command_form, has_readable_text
from bot.flows.safety import find_sign
from bot.messages import Button

if TYPE_CHECKING:
    from bot.dialogue.flows import FlowRunner
    from bot.dialogue.manager import Services, Turn


class ConsentDesk:
    s: Services
    flows: FlowRunner

    async def _question(self, turn: Turn) -> None:
        raise NotImplementedError  # Policy answers questions

    async def _text(self, turn: Turn) -> None:
        raise NotImplementedError  # Policy reads typed messages (safety signs first)

    # -- privacy -----------------------------------------------------------------------------

    def _asks_to_be_forgotten(self, turn: Turn) -> bool:
        """A typed request in words ("delete my data", "vergeet mij", "احذف بياناتي"), as the
        NLU reads it: it gets /forget's question, so an unsure reading costs only a question."""
        parse = turn.parse
        return (parse is not None and not turn.msg.payload and parse.text == turn.nlu_text
                and parse.intent.name == "forget_me"
                and parse.intent.confidence >= self.s.settings.nlu.threshold)

    async def _privacy_command(self, turn: Turn) -> bool:
        """/privacy and /forget work at any moment, also before consent."""
        payload = turn.msg.payload or ""
        word = command_form(turn.text) if turn.text and len(turn.text) < 20 else ""
        r = self.s.renderer
        if turn.state.pending.get("forget_asked"):  # the question asked by the last reply
            turn.state.pending = {k: v for k, v in turn.state.pending.items()
                                  if k != "forget_asked"}
            said = self._keyword(turn.text) if turn.text and not payload else None
            payload = {"yes": "cmd:forget_yes", "no": "cmd:forget_no"}.get(said or "", payload)
        if payload == "cmd:privacy" or word == "privacy":
            days = self.s.settings.privacy.retention_days
            buttons = [Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]
            rendered = await r.ui("privacy.text", turn.lang, days=days)
            turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))
            return True
        if payload == "cmd:forget" or word == "forget" or self._asks_to_be_forgotten(turn):
            buttons = [
                Button(await r.ui_text("forget.yes", turn.lang), "cmd:forget_yes"),
                Button(await r.ui_text("forget.no", turn.lang), "cmd:forget_no"),
            ]
            rendered = await r.ui("forget.confirm", turn.lang)
            turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))
            turn.log_incoming = False
            # a typed yes or no answers it, in any language (the next message only)
            turn.state.pending = {**turn.state.pending, "forget_asked": True}
            return True
        if payload == "cmd:forget_yes":
            await self._delete_person(turn)
            await self._say_ui(turn, "forget.done")
            return True
        if payload == "cmd:forget_no":
            await self._say_ui(turn, "forget.kept", menu=True)
            return True
        return False

    @staticmethod
    async def _delete_person(turn: Turn) -> None:
        """Delete the person; the database cascades to their state and event log."""
        from bot.handoff.desk import remember_topic_for_cleanup

        await remember_topic_for_cleanup(turn.session, turn.person.id)
        if turn.state in turn.session:
            turn.session.expunge(turn.state)  # its row goes with the person; never update it
        await turn.session.delete(turn.person)
        turn.log_incoming = False

    # -- consent -----------------------------------------------------------------------------

    async def _consent(self, turn: Turn) -> None:
        """Ask once; keep the first question aside and answer it after a yes."""
        state, payload = turn.state, turn.msg.payload or ""
        if payload.startswith("lang:"):
            await self._set_language(turn, payload[5:], confirm=False)
            await self._ask_consent(turn)
            return
        if payload == "cmd:language":
            state.awaiting = "consent"
            await self._language_picker(turn)
            return
        word = self._keyword(turn.text) if turn.text else None
        if payload == "cmd:consent" or (state.awaiting == "consent" and word == "yes"):
            turn.person.consent_at = utcnow()
            pending = state.pending.pop("question", None)
            if shown := state.pending.pop("safety_shown", None):
                turn.meta["safety_answered"] = shown  # said before consent: only the coach now
            state.pending = dict(state.pending)
            state.awaiting = None
            await self._say_ui(turn, "consent.thanks")
            if pending:  # the held question goes the way of any message: safety signs first
                turn.text = pending
                turn.log_incoming = True
                await self._text(turn)
            else:
                await self.flows.start(turn, "main_menu")
            return
        if payload == "cmd:decline" or (state.awaiting == "consent" and word == "no"):
            await self._say_ui(turn, "consent.declined")
            await self._delete_person(turn)
            return
        question = turn.text and has_readable_text(turn.text) and not turn.text.startswith("/")
        if question and "question" not in state.pending:
            state.pending = {**state.pending, "question": turn.text[:2000]}
        sign = find_sign(self.s.content.bundle.safety, turn.text) if question else None
        if sign is not None and state.pending.get("safety_shown") != sign.id:
            # someone who may be exploited hears what they can do before any privacy notice;
            # the answer is general and stores nothing more (a coach needs their consent)
            answer = self.s.content.bundle.answer_for(sign.answer)
            if answer is not None:
                await self.flows.show_answer(turn, answer, intent=sign.answer)
            state.pending = {**state.pending, "safety_shown": sign.id}
        state.awaiting = "consent"
        await self._ask_consent(turn)

    async def _ask_consent(self, turn: Turn) -> None:
        r = self.s.renderer
        days = self.s.settings.privacy.retention_days
        buttons = [
            Button(await r.ui_text("consent.agree", turn.lang), "cmd:consent"),
            Button(await r.ui_text("consent.decline", turn.lang), "cmd:decline"),
            Button(await r.ui_text("button.language", turn.lang), "cmd:language"),
        ]
        rendered = await r.ui("consent.text", turn.lang, days=days)
        reply = await r.message(rendered, turn.lang, buttons=buttons)
        if r.unreviewed("consent.text", turn.lang):
            reply.text += "\n\n" + await r.ui_text("translation.unreviewed", turn.lang)
        turn.replies.append(reply)

    def _keyword(self, text: str) -> str | None:
        if not text or len(text) > 40:
            return None
        found = self.s.content.bundle.keywords.match(command_form(text))
        return "stop" if found == "cancel" else found

    async def _set_language(self, turn: Turn, code: str, *, confirm: bool) -> None:
        if code not in self.s.settings.languages.supported:
            await self._language_picker(turn)
            return
        turn.person.language, turn.person.language_source = code, "chosen"
        turn.lang = code
        if confirm:
            await self._say_ui(turn, "language.set")
            if self.s.renderer.unreviewed("language.set", code):
                await self._say_ui(turn, "translation.unreviewed")

    async def _language_picker(self, turn: Turn) -> None:
        from bot.content.languages import LANGUAGE_NAMES

        buttons = [
            Button(LANGUAGE_NAMES[code], f"lang:{code}")
            for code in self.s.settings.languages.supported
        ]
        rendered = await self.s.renderer.ui("language.pick", turn.lang)
        turn.replies.append(await self.s.renderer.message(rendered, turn.lang, buttons=buttons))

    # -- helpers -----------------------------------------------------------------------------

    async def _say_ui(self, turn: Turn, key: str, *, menu: bool = False, **params: object) -> None:
        r = self.s.renderer
        buttons = [Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")] if menu else []
        rendered = await r.ui(key, turn.lang, **params)
        turn.replies.append(await r.message(rendered, turn.lang, buttons=buttons))
