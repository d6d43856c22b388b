"""Building the PTB Application: the one place where the Telegram bot is put together.

Handler groups run in this order (PTB runs one matching handler per group; raising
ApplicationHandlerStop ends the update):

   -1  the coaches' group (coach_handlers.py), when TELEGRAM_COACH_GROUP_ID is set
    0  scope: anything else outside a private chat is marked done and stops here
    2  people: commands, buttons, text, places, other media, edits, blocked/unblocked,
       and a last catch-all that marks anything else done. While a coach owns a person's
       conversation the core saves their messages for the coach (bot/handoff/desk.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram import convert
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.coach_handlers import CoachHandlers
from bot.channels.telegram.handlers import FORGET_NO, FORGET_YES, UserHandlers
from bot.channels.telegram.ledger import Ledger
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.topics import CoachGroup
from bot.dialogue.locks import KeyedLocks
from bot.dialogue.manager import Dialogue
from bot.handoff.coaches import Coaches
from bot.handoff.relay import Relay
from bot.settings import Settings

logger = logging.getLogger(__name__)

GROUP_COACHES, GROUP_SCOPE, GROUP_PEOPLE = -1, 0, 2
TelegramApp = Application[Any, Any, Any, Any, Any, Any]


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Many people at once, but one person's updates one at a time and in order."""

    def __init__(self, max_concurrent_updates: int,
                 wait_turn: Callable[[int, int | None], Awaitable[bool]] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks = KeyedLocks()
        self._wait_turn = wait_turn

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._wait_turn is not None and isinstance(update, Update):
            # webhook mode, maybe several processes: earlier updates of this chat go first
            chat = update.effective_chat
            if chat is not None and chat.type == "private":
                await self._wait_turn(update.update_id, chat.id)
        async with self._locks.hold(convert.chat_key(update)):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def file_base_url(base_url: str) -> str:
    """`https://api.telegram.org/bot` -> `https://api.telegram.org/file/bot` (same host)."""
    head, sep, tail = base_url.rpartition("/bot")
    return f"{head}/file/bot{tail}" if sep else base_url.rstrip("/") + "/file/bot"


def build_application(
    settings: Settings,
    dialogue: Dialogue,
    *,
    ledger: Ledger | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    concurrency: int = 32,
) -> TelegramApp:
    """The PTB Application for TELEGRAM_BOT_TOKEN, against TELEGRAM_API_BASE_URL.

    PTB's own Updater is not used: polling.py and webhook.py store each update in the ledger
    before Telegram is told it arrived, then put it on `application.update_queue`.
    """
    token = settings.secrets.telegram_bot_token
    if not token:
        raise ValueError("build_application needs TELEGRAM_BOT_TOKEN")
    base_url = settings.secrets.telegram_api_base_url
    ledger = ledger or Ledger(dialogue.s.sessions)
    webhook = settings.secrets.telegram_webhook_url is not None
    application: TelegramApp = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_base_url(base_url))
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(
            concurrency, ledger.wait_turn if webhook else None))
        .updater(None)
        .build()
    )
    channel = TelegramChannel(dialogue, ledger, TelegramSender(application.bot))
    people = UserHandlers(channel, languages=list(settings.languages.supported),
                          retention_days=settings.privacy.retention_days)
    register_handlers(application, people)
    group_id = settings.secrets.telegram_coach_group_id
    relay = Relay(dialogue.s, CoachGroup(channel.sender, group_id) if group_id else None)
    application.bot_data["relay"] = relay
    if group_id is not None:
        coaches = CoachHandlers(channel, Coaches(dialogue.s), group_id, relay)
        application.add_handler(TypeHandler(Update, coaches.handle), GROUP_COACHES)
    application.add_error_handler(log_error)
    return application


def register_handlers(application: TelegramApp, people: UserHandlers) -> None:
    only_new = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, people.outside_private_chats), GROUP_SCOPE)
    for handler in (
        MessageHandler(filters.UpdateType.EDITED, people.edited),
        CommandHandler("privacy", people.privacy, filters=only_new),
        CommandHandler("forget", people.forget, filters=only_new),
        CommandHandler(list(convert.CORE_COMMANDS), people.core_command, filters=only_new),
        CallbackQueryHandler(people.forget_answer, pattern=f"^({FORGET_YES}|{FORGET_NO})$"),
        CallbackQueryHandler(people.button),
        MessageHandler(only_new & (filters.LOCATION | filters.VENUE), people.location),
        MessageHandler(only_new & filters.TEXT, people.text),  # also unknown /commands
        MessageHandler(only_new, people.other),
        ChatMemberHandler(people.membership, ChatMemberHandler.MY_CHAT_MEMBER),
        TypeHandler(Update, people.anything_else),
    ):
        application.add_handler(handler, GROUP_PEOPLE)


async def log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The boundary: log with the traceback; the ledger has already released the update."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("handling Telegram update %s failed", update_id, exc_info=context.error)
