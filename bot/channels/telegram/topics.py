"""The coaches' group for the handoff relay (bot/handoff/relay.py TelegramLink).

A supergroup with topics (TELEGRAM_COACH_GROUP_ID): one topic per ticket. Errors are turned
into outcomes the relay understands; only "sent" means the message is there.
"""

from __future__ import annotations

import logging

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.channels.telegram import formatting
from bot.channels.telegram.formatting import Part
from bot.channels.telegram.outbound import TelegramOutbound
from bot.channels.telegram.sender import NO_PREVIEW, TelegramSender
from bot.channels.telegram.sender import keyboard as sender_keyboard
from bot.handoff.relay import Posted
from bot.messages import OutgoingMessage

logger = logging.getLogger(__name__)


class CoachGroup:
    def __init__(self, sender: TelegramSender, group_id: int) -> None:
        self.sender = sender
        self.bot = sender.bot
        self.group_id = group_id

    async def create_topic(self, name: str) -> int | None:
        try:
            topic = await self.sender.call("createForumTopic", lambda: (
                self.bot.create_forum_topic(self.group_id, name)))
        except (TelegramError, NetworkError) as exc:
            logger.error("could not create a topic in the coaches' group: %s", exc)
            return None
        return topic.message_thread_id

    async def post(self, html_text: str, *, thread_id: int | None,
                   keyboard: list[list[tuple[str, str]]] | None = None) -> Posted:
        part = Part(html=html_text[: formatting.MAX_TEXT],
                    keyboard=tuple(tuple(row) for row in keyboard or []))
        try:
            sent = await self.sender.deliver(self.group_id, part, thread_id=thread_id)
        except NetworkError as exc:
            logger.warning("coaches' group unreachable: %s", exc)
            return Posted("failed")
        if sent.outcome == "sent" and sent.message_id is not None:
            return Posted("sent", [sent.message_id])
        return Posted("failed")

    async def edit_post(self, message_id: int, html_text: str, *,
                        keyboard: list[list[tuple[str, str]]] | None = None) -> None:
        markup = sender_keyboard(Part(html="", keyboard=tuple(tuple(r) for r in keyboard or [])))
        try:
            await self.sender.call("editMessageText", lambda: self.bot.edit_message_text(
                html_text, chat_id=self.group_id, message_id=message_id,
                parse_mode=ParseMode.HTML, reply_markup=markup,
                link_preview_options=NO_PREVIEW))
        except (TelegramError, NetworkError) as exc:  # unchanged, too old: not a problem
            logger.info("could not update a ticket's first message: %s", exc)

    async def copy(self, from_chat: int, message_id: int, *, to_chat: int,
                   thread_id: int | None) -> Posted:
        """A photo, voice note or file, copied (Werkpad keeps no copy of its own)."""
        try:
            copied = await self.sender.call("copyMessage", lambda: self.bot.copy_message(
                to_chat, from_chat, message_id, message_thread_id=thread_id))
        except Forbidden:
            return Posted("blocked")
        except BadRequest as exc:
            logger.error("could not copy a message to the coaches: %s", exc.message)
            return Posted("failed")
        except NetworkError:
            return Posted("failed")
        return Posted("sent", [copied.message_id])

    async def delete_topic(self, thread_id: int) -> None:
        await self.sender.call("deleteForumTopic", lambda: self.bot.delete_forum_topic(
            self.group_id, thread_id))

    async def to_person(self, chat_id: int, replies: list[OutgoingMessage], *,
                        reply_to: int | None = None) -> Posted:
        outcome, ids = await TelegramOutbound(self.sender).send_parts(
            chat_id, replies, reply_to=reply_to)
        return Posted(outcome, ids)
