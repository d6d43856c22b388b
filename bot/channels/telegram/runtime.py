"""Starting and stopping the Telegram channel next to the web app.

Start: getMe, the command menu, the update processing, the updates left unfinished by the
last run, then polling (default) or the webhook (TELEGRAM_WEBHOOK_URL). While running, a job
takes up updates whose lease ran out and prunes old ledger rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import BaseRateLimiter, ContextTypes

from bot.channels.telegram.application import TelegramApp, build_application
from bot.channels.telegram.convert import CHANNEL
from bot.channels.telegram.ledger import Ledger
from bot.channels.telegram.outbound import TelegramOutbound
from bot.channels.telegram.polling import ALLOWED_UPDATES, DurablePoller
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.texts import COMMANDS
from bot.channels.telegram.webhook import Endpoint, make_endpoint, webhook_path
from bot.dialogue.manager import Dialogue
from bot.errors import SettingsError, WerkpadError
from bot.handoff.relay import Relay
from bot.settings import Settings

logger = logging.getLogger(__name__)

RECOVER_EVERY = timedelta(seconds=15)
PRUNE_EVERY = timedelta(hours=6)


class TelegramService:
    def __init__(
        self, settings: Settings, dialogue: Dialogue, *,
        rate_limiter: BaseRateLimiter[Any] | None = None, ledger: Ledger | None = None,
        poll_timeout: int = 30, recover_every: timedelta = RECOVER_EVERY,
    ) -> None:
        self.settings = settings
        self.recover_every = recover_every
        self.ledger = ledger or Ledger(dialogue.s.sessions)
        self.application: TelegramApp = build_application(
            settings, dialogue, ledger=self.ledger, rate_limiter=rate_limiter)
        self.webhook_url = settings.secrets.telegram_webhook_url
        self.sender = TelegramSender(self.application.bot)
        self.relay: Relay = self.application.bot_data["relay"]
        self._relay_task: asyncio.Task[None] | None = None
        dialogue.s.delivery.register(CHANNEL, TelegramOutbound(self.sender))
        self.poller: DurablePoller | None = None
        if self.webhook_url is None:
            self.poller = DurablePoller(self.application.bot, self.ledger,
                                        self.application.update_queue, timeout=poll_timeout)

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook_url else "polling"

    def webhook_route(self) -> tuple[str, Endpoint] | None:
        """(path, endpoint) to mount on the web app in webhook mode."""
        if self.webhook_url is None:
            return None
        secret = self.settings.secrets.telegram_webhook_secret or ""
        endpoint = make_endpoint(self.application.bot, self.ledger,
                                 self.application.update_queue, secret)
        return webhook_path(self.webhook_url), endpoint

    async def start(self) -> None:
        app = self.application
        await self._initialize()
        await self._publish_commands()
        await app.start()
        # Polling: only one process can poll, so whatever is unfinished is ours at once.
        await self.recover(force=self.poller is not None)
        if self.poller is not None:
            await app.bot.delete_webhook()
            self.poller.start()
        else:
            await app.bot.set_webhook(
                self.webhook_url or "", secret_token=self.settings.secrets.telegram_webhook_secret,
                allowed_updates=ALLOWED_UPDATES, max_connections=40)
        if app.job_queue is not None:
            app.job_queue.run_repeating(self._recover_job, interval=self.recover_every,
                                        first=self.recover_every, name="telegram-recover")
            app.job_queue.run_repeating(self._prune_job, interval=PRUNE_EVERY, first=1,
                                        name="telegram-prune")
        self._relay_task = asyncio.create_task(self.relay.run_forever(), name="handoff-relay")
        logger.info("Telegram channel running (%s, bot @%s)", self.mode, app.bot.username)

    async def stop(self) -> None:
        """Stop taking updates, finish the ones being handled, close the connections.

        In webhook mode the webhook stays set: Telegram keeps the updates until we are back.
        """
        if self._relay_task is not None:
            self._relay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._relay_task
        if self.poller is not None:
            await self.poller.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def recover(self, *, force: bool) -> int:
        """Queue the updates left unfinished (or whose lease ran out), oldest first."""
        found = await self.ledger.recover(force=force)
        for item in found:
            if item.body is not None:  # always so: rows without a body are given up on
                update = Update.de_json(item.body, self.application.bot)
                await self.application.update_queue.put(update)
        return len(found)

    async def _initialize(self, attempts: int = 6) -> None:
        """getMe, retried while Telegram cannot be reached; a refused token stops the start."""
        for attempt in range(1, attempts + 1):
            try:
                await self.application.initialize()
                return
            except InvalidToken:
                raise SettingsError(
                    "Telegram refuses TELEGRAM_BOT_TOKEN; copy it again from @BotFather"
                ) from None
            except NetworkError as exc:
                if attempt == attempts:
                    raise WerkpadError(f"Telegram cannot be reached: {exc}") from exc
                logger.warning("Telegram cannot be reached (%s); retrying", exc)
                await asyncio.sleep(2 ** (attempt - 1))

    async def _publish_commands(self) -> None:
        sender = TelegramSender(self.application.bot)
        for lang, commands in COMMANDS.items():
            try:
                await sender.set_commands(commands, None if lang == "en" else lang)
            except TelegramError as exc:  # the menu is a convenience; the bot works without it
                logger.warning("could not publish the %s command menu: %s", lang, exc)

    async def _recover_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.recover(force=False)

    async def _prune_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        pruned = await self.ledger.prune()
        if pruned:
            logger.info("pruned %d old Telegram ledger row(s)", pruned)
