"""Long polling that never loses an update.

getUpdates(offset=N) tells Telegram that every update below N has arrived, and Telegram then
deletes them. PTB's Updater moves the offset on as soon as updates are in its in-memory queue,
so a crash can lose them. This loop moves it on only after the batch is committed to the
ledger; updates already in the ledger (redelivered after a crash) are not queued again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.channels.telegram.ledger import Incoming, Ledger

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def to_incoming(update: Update, body: dict[str, object] | None = None) -> Incoming:
    chat = update.effective_chat
    return Incoming(update.update_id, chat.id if chat else None, body or update.to_dict())


class DurablePoller:
    def __init__(
        self, bot: Bot, ledger: Ledger, queue: asyncio.Queue[object], *,
        timeout: int = 30, max_backoff: float = 30.0,
    ) -> None:
        self.bot = bot
        self.ledger = ledger
        self.queue = queue
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.offset = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop polling. Updates fetched but not yet confirmed come again next time, and the
        ledger recognises them."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run(self) -> None:
        backoff = 0.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self.offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES)
                if updates:
                    await self.accept(updates)
                backoff = 0.0
            except InvalidToken:
                logger.critical("Telegram refuses TELEGRAM_BOT_TOKEN; polling stops")
                return
            except Conflict:
                backoff = self._next(backoff)
                logger.error("another process polls this bot (or a webhook is set); "
                             "retrying in %.0f s", backoff)
                await asyncio.sleep(backoff)
            except (NetworkError, TelegramError, OSError) as exc:
                backoff = self._next(backoff)
                logger.warning("polling failed (%s); retrying in %.1f s", exc, backoff)
                await asyncio.sleep(backoff)
            except Exception:  # the database is down, or a bug: keep polling, never die silently
                backoff = self._next(backoff)
                logger.exception("storing updates failed; retrying in %.1f s", backoff)
                await asyncio.sleep(backoff)

    async def accept(self, updates: Sequence[Update]) -> None:
        """Commit the batch to the ledger, queue the new ones, then move the offset on."""
        fresh = await self.ledger.intake([to_incoming(u) for u in updates])
        for update in updates:
            if update.update_id in fresh:
                fresh.discard(update.update_id)  # the same update twice in one batch: once
                await self.queue.put(update)
            else:
                logger.info("update %s came again; it is answered only once", update.update_id)
        self.offset = max(u.update_id for u in updates) + 1

    def _next(self, backoff: float) -> float:
        return min(self.max_backoff, max(0.5, backoff * 2))
