"""Reaching a Telegram person outside a reply (bot/delivery.py): reminders, a coach's words."""

from __future__ import annotations

from telegram.error import NetworkError

from bot.channels.telegram import formatting
from bot.channels.telegram.sender import TelegramSender
from bot.db.models import Person
from bot.delivery import Outcome
from bot.messages import OutgoingMessage


class TelegramOutbound:
    def __init__(self, sender: TelegramSender) -> None:
        self.sender = sender

    async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
        return (await self.send_parts(int(person.external_id), replies))[0]

    async def send_parts(
        self, chat_id: int, replies: list[OutgoingMessage], *, reply_to: int | None = None
    ) -> tuple[Outcome, list[int]]:
        """Send every part of every reply (each reply's first part answering `reply_to`);
        the outcome and the Telegram message ids. A network that stays down is "failed"."""
        ids: list[int] = []
        for reply in replies:
            for index, part in enumerate(formatting.render(reply)):
                try:
                    sent = await self.sender.deliver(
                        chat_id, part, reply_to=reply_to if index == 0 else None)
                except NetworkError:
                    return "failed", ids
                if sent.outcome == "blocked":
                    return "blocked", ids
                if sent.outcome != "sent":
                    return "failed", ids
                if sent.message_id is not None:
                    ids.append(sent.message_id)
        return "sent", ids
