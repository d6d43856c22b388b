"""Reaching a Telegram person outside a reply (bot/delivery.py): reminders, a coach's words."""

from __future__ import annotations

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
        self, chat_id: int, replies: list[OutgoingMessage]
    ) -> tuple[Outcome, list[int]]:
        """Send every part of every reply; the outcome and the Telegram message ids."""
        ids: list[int] = []
        for reply in replies:
            for part in formatting.render(reply):
                sent = await self.sender.deliver(chat_id, part)
                if sent.outcome == "blocked":
                    return "blocked", ids
                if sent.outcome != "sent":
                    return "failed", ids
                if sent.message_id is not None:
                    ids.append(sent.message_id)
        return "sent", ids
