"""The Telegram channel's one service: take an update once, get the replies, deliver them.

Handlers (handlers.py) unpack the update and call one method here. Every path goes through
the ledger: claim, produce the replies (the core, or the channel's own texts), keep them,
send them, done. A failure on the way releases the update for a later retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import CallbackQuery, Message, Update

from bot.channels.telegram import convert, formatting
from bot.channels.telegram.formatting import Part
from bot.channels.telegram.ledger import Claim, Incoming, Ledger
from bot.channels.telegram.sender import Outcome, TelegramSender
from bot.content.attachments import attachment_bytes
from bot.db import repositories as repo
from bot.dialogue.manager import Dialogue
from bot.errors import ContentError
from bot.messages import Button, IncomingMessage, OutgoingMessage

logger = logging.getLogger(__name__)

Produce = Callable[[], Awaitable[list[OutgoingMessage]]]


class TelegramChannel:
    def __init__(self, dialogue: Dialogue, ledger: Ledger, sender: TelegramSender) -> None:
        self.dialogue = dialogue
        self.ledger = ledger
        self.sender = sender
        self.sessions: async_sessionmaker[AsyncSession] = dialogue.s.sessions

    # -- what handlers call ------------------------------------------------------------------

    async def answer(self, update: Update, chat_id: int, message: IncomingMessage) -> None:
        """Hand a person's message to the core, once, and deliver the replies."""
        claim = await self.ledger.claim(incoming(update, chat_id))
        await self._complete(update, chat_id, claim, lambda: self.dialogue.handle(message))

    async def press(
        self, update: Update, chat_id: int, query: CallbackQuery, produce: Produce, *,
        core: bool = True,
    ) -> None:
        """A button press: acknowledge it, show the choice under the question, then answer.

        Only the first press on a message counts: a quick second tap, before the keyboard is
        gone, is acknowledged and otherwise ignored.
        """
        message = query.message if isinstance(query.message, Message) else None
        key = convert.once_key("press", chat_id, message.message_id) if message else None
        claim = await self.ledger.claim(incoming(update, chat_id), once_key=key, core=core)
        if claim.state in ("fresh", "lost", "duplicate"):
            # Telegram shows a spinner until the query is answered: answer it first.
            await self.sender.acknowledge(query.id)
        if claim.state in ("fresh", "lost") and message is not None:
            label = convert.pressed_label(query) or ""
            await self.sender.show_choice(
                chat_id, message.message_id,
                formatting.choice_html(message.text_html, label) if message.text else None)
        await self._complete(update, chat_id, claim, produce)

    async def reply(self, update: Update, chat_id: int, produce: Produce, *,
                    once_key: str | None = None) -> None:
        """Answer with the channel's own texts (privacy, forget, edited messages)."""
        claim = await self.ledger.claim(incoming(update, chat_id), once_key=once_key,
                                        core=False)
        await self._complete(update, chat_id, claim, produce)

    async def skip(self, update: Update) -> None:
        """Nothing to say (groups, service messages, unknown updates): mark it done."""
        claim = await self.ledger.claim(incoming(update, None), core=False)
        if claim.state not in ("finished", "duplicate"):
            await self.ledger.done(update.update_id)

    async def membership(self, update: Update, chat_id: int, active: bool) -> None:
        """The person blocked (kicked) or unblocked the bot."""
        claim = await self.ledger.claim(incoming(update, chat_id), core=False)
        if claim.state in ("finished", "duplicate"):
            return
        found = await self.set_active(chat_id, active)
        logger.info("chat %s %s the bot%s", chat_id, "unblocked" if active else "blocked",
                    "" if found else " (not known to us)")
        await self.ledger.done(update.update_id)

    async def set_active(self, chat_id: int, active: bool) -> bool:
        async with self.sessions() as session, session.begin():
            return await repo.set_person_active(
                session, channel=convert.CHANNEL, external_id=str(chat_id), active=active)

    async def with_coach(self, chat_id: int) -> bool:
        """Whether a coach owns this person's conversation now (bot/handoff/desk.py)."""
        from bot.handoff.desk import open_ticket

        async with self.sessions() as session:
            person = await repo.find_person(
                session, channel=convert.CHANNEL, external_id=str(chat_id))
            ticket = await open_ticket(session, person.id) if person is not None else None
        return ticket is not None and ticket.status == "claimed"

    async def language(self, chat_id: int, hint: str | None) -> str:
        """The person's language as the core knows it, else the hint, else the default."""
        languages = self.dialogue.s.settings.languages
        async with self.sessions() as session:
            person = await repo.find_person(
                session, channel=convert.CHANNEL, external_id=str(chat_id))
        code = person.language if person is not None else None
        hint_code = (hint or "").split("-")[0].lower()
        if code is None and hint_code in languages.supported:
            code = hint_code
        return code or languages.default

    async def local_reply(
        self, texts: Mapping[str, str], lang: str, *, buttons: list[Button] | None = None,
        params: Mapping[str, object] | None = None,
    ) -> OutgoingMessage:
        """One of the channel's own texts in `lang` (translated or English, and marked)."""
        renderer = self.dialogue.s.renderer
        rendered = await renderer.text(
            {code: text.format(**(params or {})) for code, text in texts.items()}, lang)
        return await renderer.message(rendered, lang, buttons=buttons or [])

    # -- the common path ---------------------------------------------------------------------

    async def _complete(self, update: Update, chat_id: int, claim: Claim,
                        produce: Produce) -> None:
        """Produce the replies (unless they are kept from before), keep them, send them."""
        update_id = update.update_id
        try:
            if claim.state in ("finished", "duplicate"):
                return
            if claim.state == "handled":
                parts, start = claim.parts, claim.sent
            else:
                replies = await (self._continue(update, chat_id) if claim.state == "lost"
                                 else produce())
                parts = [part for reply in replies for part in formatting.render(reply)]
                await self.ledger.handled(update_id, parts)
                start = 0
            await self._deliver(update_id, chat_id, parts, start)
        except (Exception, asyncio.CancelledError):  # any failure: retry later, then re-raise
            await asyncio.shield(self.ledger.release(update_id))
            raise

    async def _continue(self, update: Update, chat_id: int) -> list[OutgoingMessage]:
        """The core answered before a crash and the answer was lost: show where we are."""
        user = update.effective_user
        return await self.dialogue.handle(IncomingMessage(
            channel=convert.CHANNEL, external_id=str(chat_id), kind="button",
            payload="cmd:continue", lang_hint=user.language_code if user else None,
        ))

    async def _deliver(self, update_id: int, chat_id: int, parts: list[Part],
                       start: int) -> None:
        for index in range(start, len(parts)):
            outcome = await self._send(chat_id, parts[index])
            if outcome == "blocked":
                await self.set_active(chat_id, False)
                break
            if index + 1 < len(parts):
                await self.ledger.progress(update_id, index + 1)
        await self.ledger.done(update_id)

    async def _send(self, chat_id: int, part: Part) -> Outcome:
        """A text message, or a document made again from its key (never kept as bytes)."""
        if part.document is None:
            return await self.sender.send(chat_id, part)
        bundle = self.dialogue.s.content.bundle
        try:  # the PDF takes some milliseconds to lay out: not on the event loop
            data = await asyncio.to_thread(attachment_bytes, part.document, bundle,
                                           self.dialogue.s.today())
        except ContentError as exc:
            logger.error("document %s for chat %s not sent: %s", part.document, chat_id, exc)
            return "rejected"
        return await self.sender.send_document(chat_id, data, part.document_name or "document")


def incoming(update: Update, chat_id: int | None) -> Incoming:
    """The ledger's view of an update that intake already stored (so no body)."""
    return Incoming(update.update_id, chat_id, None)
