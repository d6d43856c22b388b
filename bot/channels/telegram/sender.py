"""Sending to Telegram through PTB's Bot, which this class wraps (it does not inherit from it).

Errors, and what happens with them:
- RetryAfter (429): the AIORateLimiter pauses all requests and retries; if it still comes
  back here, we wait it out ourselves (bounded attempts).
- NetworkError / TimedOut: retried with exponential backoff, a bounded number of times; then
  the error goes up and the ledger takes the update up again later.
- Forbidden: the person blocked the bot (or deleted their account): Outcome "blocked".
- BadRequest: logged, never retried; HTML that Telegram cannot parse is sent once more as
  plain text, so the person still gets the words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.channels.telegram.formatting import Part

logger = logging.getLogger(__name__)

T = TypeVar("T")
Outcome = Literal["sent", "blocked", "rejected"]


@dataclass(frozen=True, slots=True)
class Sent:
    outcome: Outcome
    message_id: int | None = None
Sleep = Callable[[float], Awaitable[None]]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramSender:
    def __init__(
        self, bot: Bot, *, attempts: int = 4, backoff: float = 0.5, max_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep

    async def send(self, chat_id: int, part: Part, *, thread_id: int | None = None) -> Outcome:
        """Send one message; "blocked" when the person blocked the bot."""
        return (await self.deliver(chat_id, part, thread_id=thread_id)).outcome

    async def deliver(self, chat_id: int, part: Part, *, thread_id: int | None = None,
                      reply_to: int | None = None) -> Sent:
        """Send one message (into a forum topic with `thread_id`); the outcome and message id."""
        markup = keyboard(part)
        replying = (ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None else None)
        try:
            message = await self._call("sendMessage", lambda: self.bot.send_message(
                chat_id, part.html, parse_mode=ParseMode.HTML, reply_markup=markup,
                link_preview_options=NO_PREVIEW, message_thread_id=thread_id,
                reply_parameters=replying,
            ))
        except Forbidden as exc:
            logger.info("chat %s blocks the bot: %s", chat_id, exc.message)
            return Sent("blocked")
        except BadRequest as exc:
            if "parse" not in exc.message.lower():
                logger.error("Telegram refused a message to chat %s: %s", chat_id, exc.message)
                return Sent("rejected")
            logger.error("Telegram could not parse our HTML (%s); sending plain text",
                         exc.message)
            return await self._send_plain(chat_id, part, markup, thread_id)
        return Sent("sent", message.message_id)

    async def _send_plain(
        self, chat_id: int, part: Part, markup: InlineKeyboardMarkup | None,
        thread_id: int | None,
    ) -> Sent:
        try:
            message = await self._call("sendMessage", lambda: self.bot.send_message(
                chat_id, part.plain, reply_markup=markup, link_preview_options=NO_PREVIEW,
                message_thread_id=thread_id,
            ))
        except Forbidden:
            return Sent("blocked")
        except BadRequest as exc:
            logger.error("Telegram refused the plain text too: %s", exc.message)
            return Sent("rejected")
        return Sent("sent", message.message_id)

    async def send_document(self, chat_id: int, data: bytes, filename: str) -> Outcome:
        """Send one file as a document (sendDocument, uploaded); "blocked" when the person
        blocked the bot, "rejected" when Telegram refuses the file."""
        from telegram import InputFile  # here, not above: this method was added on its own

        try:
            await self._call("sendDocument", lambda: self.bot.send_document(
                chat_id, InputFile(data, filename=filename)))
        except Forbidden as exc:
            logger.info("chat %s blocks the bot: %s", chat_id, exc.message)
            return "blocked"
        except BadRequest as exc:
            logger.error("Telegram refused the document %s for chat %s: %s", filename, chat_id,
                         exc.message)
            return "rejected"
        return "sent"

    async def acknowledge(self, query_id: str) -> None:
        """Stop the spinner on the pressed button; a query that is too old is not a problem."""
        try:
            await self._call("answerCallbackQuery",
                             lambda: self.bot.answer_callback_query(query_id))
        except (BadRequest, Forbidden) as exc:
            logger.info("could not answer callback query: %s", exc.message)

    async def show_choice(
        self, chat_id: int, message_id: int, new_html: str | None
    ) -> None:
        """Replace the question's keyboard by the chosen answer, so it can't be pressed twice."""
        try:
            if new_html is None:
                await self._call("editMessageReplyMarkup", lambda: (
                    self.bot.edit_message_reply_markup(
                        chat_id=chat_id, message_id=message_id, reply_markup=None)))
            else:
                await self._call("editMessageText", lambda: self.bot.edit_message_text(
                    new_html, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                    reply_markup=None, link_preview_options=NO_PREVIEW))
        except (BadRequest, Forbidden) as exc:  # too old to edit, or already edited
            logger.info("could not mark the chosen answer: %s", exc.message)

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None
    ) -> None:
        """Publish the command menu for private chats (language None: the default)."""
        await self._call("setMyCommands", lambda: self.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            scope=BotCommandScopeAllPrivateChats(), language_code=language,
        ))

    async def _call(self, method: str, request: Callable[[], Awaitable[T]]) -> T:
        """Run one Bot API request, retrying rate limits and network errors a few times."""
        for attempt in range(1, self.attempts + 1):
            try:
                return await request()
            except RetryAfter as exc:
                wait = min(_seconds(exc.retry_after), self.max_wait)
                if attempt == self.attempts:
                    raise
                logger.warning("%s: rate limited, waiting %.1f s", method, wait)
                await self.sleep(wait)
            except (BadRequest, Forbidden):
                raise
            except NetworkError as exc:  # includes TimedOut
                if attempt == self.attempts:
                    raise
                wait = self.backoff * 2 ** (attempt - 1)
                logger.warning("%s failed (%s); retry %d in %.1f s", method, exc.message,
                               attempt, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")

    call = _call  # for other Bot API methods (the coaches' group: topics, copies)


def keyboard(part: Part) -> InlineKeyboardMarkup | None:
    if not part.keyboard:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=payload) for label, payload in row]
        for row in part.keyboard
    ])


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
