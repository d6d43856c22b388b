"""The coaches' group (TELEGRAM_COACH_GROUP_ID): Claim, /release, /close, /note, and the
messages and edits coaches write in a ticket's topic.

Every update goes through the ledger like a person's (exactly once). Only registered coaches
(console users with this Telegram id, role coach or admin, active) can act; anyone else gets a
polite refusal. Whatever a coach sends is saved (bot/handoff/coaches.py) before the update is
marked done; the relay worker delivers it.
"""

from __future__ import annotations

import html
import logging

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.channels.telegram.channel import TelegramChannel, incoming
from bot.channels.telegram.formatting import Part
from bot.handoff.coaches import Coaches, HandoffRefused
from bot.handoff.relay import Relay

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
NOT_A_COACH = ("Sorry, only registered job coaches can do this. An admin can register you "
               "with your Telegram id ({user_id}) in the Werkpad console.")


class CoachHandlers:
    def __init__(self, channel: TelegramChannel, coaches: Coaches, group_id: int,
                 relay: Relay | None = None) -> None:
        self.channel = channel
        self.coaches = coaches
        self.group_id = group_id
        self.relay = relay

    def in_group(self, update: Update) -> bool:
        chat = update.effective_chat
        return chat is not None and chat.id == self.group_id

    async def handle(self, update: Update, context: Context) -> None:
        """Every update from the coaches' group comes here, once; nothing goes further."""
        if not self.in_group(update):
            return
        ledger = self.channel.ledger
        claim = await ledger.claim(incoming(update, self.group_id), core=False)
        if claim.state in ("finished", "duplicate"):
            raise ApplicationHandlerStop
        try:
            await self._dispatch(update)
        except Exception:
            await ledger.release(update.update_id)
            raise
        await ledger.done(update.update_id)
        raise ApplicationHandlerStop

    async def _dispatch(self, update: Update) -> None:
        user = update.effective_user
        if update.callback_query is not None:
            await self._claim(update)
            return
        message = update.message or update.edited_message
        if message is None or user is None or user.is_bot:
            return  # service messages (topic created, member joined): nothing to do
        thread_id = message.message_thread_id if message.is_topic_message else None
        text = message.text or message.caption or ""
        command = text.split()[0].split("@")[0].lower() if text.startswith("/") else None
        if thread_id is None:
            if command in ("/release", "/close", "/note"):
                await self._say(None, "Use this inside a ticket's topic.")
            return
        ticket = await self.coaches.ticket_for_topic(thread_id)
        if ticket is None:
            return  # a topic that is not a ticket (or the person was forgotten)
        coach = await self.coaches.by_telegram_id(user.id)
        if coach is None:
            await self._say(thread_id, NOT_A_COACH.format(user_id=user.id))
            return
        try:
            if update.edited_message is not None:
                if await self.coaches.edit(coach, self.group_id, message.message_id,
                                           text) is None:
                    await self._say(thread_id, "Only your messages to the person can be "
                                               "corrected; this edit is not sent.")
                return
            if command == "/release":
                await self.coaches.release(ticket.id, coach, via="telegram")
                await self._say(thread_id, f"Handed back to Werkpad by "
                                           f"{html.escape(coach.name)}.")
            elif command == "/close":
                await self.coaches.close(ticket.id, coach, via="telegram")
                await self._say(thread_id, f"Closed by {html.escape(coach.name)}.")
            elif command == "/note":
                await self.coaches.note(ticket.id, coach, text.partition(" ")[2],
                                        via="telegram")
                await self._say(thread_id, "Note saved (the person does not see it).")
            elif command is not None and command.startswith("/"):
                await self._say(thread_id, "Commands here: /release, /close, /note TEXT.")
            else:
                await self.coaches.reply(
                    ticket.id, coach, text, via="telegram", kind=_kind(message),
                    source_chat_id=self.group_id, source_message_id=message.message_id,
                    reply_to_telegram=(message.reply_to_message.message_id
                                       if message.reply_to_message is not None
                                       and message.reply_to_message.message_id != thread_id
                                       else None))
        except HandoffRefused as exc:
            await self._say(thread_id, html.escape(str(exc)))

    async def _claim(self, update: Update) -> None:
        query = update.callback_query
        assert query is not None
        sender = self.channel.sender
        data = query.data or ""
        if not data.startswith("ho:claim:") or not data[9:].isdigit():
            await sender.acknowledge(query.id)
            return
        coach = await self.coaches.by_telegram_id(query.from_user.id)
        if coach is None:
            await sender.call("answerCallbackQuery", lambda: query.answer(
                "Sorry, only registered job coaches can claim a ticket.", show_alert=True))
            return
        try:
            done = await self.coaches.claim(int(data[9:]), coach, via="telegram")
        except HandoffRefused as exc:
            reason = str(exc)[:190]
            await sender.call("answerCallbackQuery", lambda: query.answer(
                reason, show_alert=True))
            return
        await sender.acknowledge(query.id)
        thread = done.ticket.topic_thread_id
        await self._say(thread, f"{html.escape(coach.name)} has this conversation now. "
                                "Write here to talk with the person.")

    async def _say(self, thread_id: int | None, text: str) -> None:
        await self.channel.sender.deliver(self.group_id, Part(html=text), thread_id=thread_id)


def _kind(message: Message) -> str:
    for kind in ("photo", "document", "voice", "audio", "video", "video_note", "sticker"):
        if getattr(message, kind, None):
            return kind
    return "text"
