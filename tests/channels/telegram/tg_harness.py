"""The test's view of a running Telegram channel: push updates, wait, read the replies."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tg_fake_api import FakeBotAPI
from tg_people import TelegramUser

from bot.channels.telegram import TelegramService
from bot.channels.telegram.webhook import SECRET_HEADER
from bot.db.models import Person, TelegramUpdate
from bot.dialogue.manager import Dialogue
from bot.settings import Settings

WEBHOOK_URL = "https://werkpad.example/telegram/webhook"
WEBHOOK_SECRET = "test_webhook_secret_0123456789"


@dataclass
class Harness:
    api: FakeBotAPI
    service: TelegramService
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    dialogue: Dialogue
    webhook: str | None = None  # local URL of the webhook endpoint

    def user(self, chat_id: int, lang: str | None = "en", **kw: Any) -> TelegramUser:
        return TelegramUser(self.api, chat_id, lang, **kw)

    async def settled(self, *update_ids: int, within: float = 15) -> None:
        """Wait until the bot has finished these updates (replies sent, ledger row done)."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            async with self.sessions() as session:
                rows = (await session.scalars(select(TelegramUpdate).where(
                    TelegramUpdate.update_id.in_(update_ids)))).all()
            if len(rows) == len(update_ids) and all(r.status in ("done", "failed")
                                                    for r in rows):
                return
            if asyncio.get_running_loop().time() > deadline:
                states = [(r.update_id, r.status) for r in rows]
                raise AssertionError(f"updates not finished: {states} of {update_ids}")
            await asyncio.sleep(0.02)

    async def turn(self, user: TelegramUser, push: Callable[[], int]) -> list[dict[str, Any]]:
        """Push one update, wait until it is answered, return what the bot sent that chat."""
        since = len(self.api.calls)
        update_id = push()
        await self.settled(update_id)
        return self.api.sent(user.chat_id, since)

    async def say(self, user: TelegramUser, text: str) -> list[dict[str, Any]]:
        return await self.turn(user, lambda: user.says(text))

    async def press(self, user: TelegramUser, label: str) -> list[dict[str, Any]]:
        return await self.turn(user, lambda: user.presses(label))

    async def person(self, chat_id: int) -> Person | None:
        async with self.sessions() as session:
            return await session.scalar(select(Person).where(
                Person.channel == "telegram", Person.external_id == str(chat_id)))

    async def post_webhook(self, body: dict[str, Any], secret: str | None) -> int:
        assert self.webhook is not None
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with httpx.AsyncClient() as client:
            response = await client.post(self.webhook, json=body, headers=headers)
        return response.status_code


MakeBot = Callable[..., Awaitable[Harness]]


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n---\n".join(m["text"] for m in messages)


def buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]
