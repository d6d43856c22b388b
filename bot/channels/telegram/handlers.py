"""Thin handlers for people's private chats: unpack the update, call the channel, done.

They are registered, in numbered groups, in application.build_application().
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.channels.telegram import convert, texts
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.privacy import forget_person
from bot.messages import Button, IncomingMessage, OutgoingMessage

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
FORGET_YES, FORGET_NO = "tg:forget:yes", "tg:forget:no"


class UserHandlers:
    def __init__(self, channel: TelegramChannel, *, languages: list[str],
                 retention_days: int) -> None:
        self.channel = channel
        self.languages = languages
        self.retention_days = retention_days

    async def outside_private_chats(self, update: Update, context: Context) -> None:
        """Say nothing outside private chats (the coaches' group will be handled apart)."""
        if convert.private_chat_id(update) is None:
            await self.channel.skip(update)
            raise ApplicationHandlerStop

    async def text(self, update: Update, context: Context) -> None:
        """Pass typed text to the core and send its replies."""
        message, chat_id = update.message, convert.private_chat_id(update)
        if message is None or chat_id is None:
            await self.channel.skip(update)  # cannot happen with the filters; never leave one
            return
        await self.channel.answer(update, chat_id, convert.text_message(update, message))

    async def core_command(self, update: Update, context: Context) -> None:
        """/start, /menu, /help, /coach, /language, /cancel: the core's menu commands."""
        message, chat_id = update.message, convert.private_chat_id(update)
        if message is None or chat_id is None or not message.text:
            await self.channel.skip(update)
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        incoming = convert.command_message(update, message, name, list(context.args or []),
                                           self.languages)
        await self.channel.answer(update, chat_id, incoming)

    async def button(self, update: Update, context: Context) -> None:
        """A pressed button: its payload goes to the core."""
        query, chat_id = update.callback_query, convert.private_chat_id(update)
        if query is None or chat_id is None:
            await self.channel.skip(update)
            return
        message = convert.button_message(update, query, chat_id)
        await self.channel.press(update, chat_id, query,
                                 lambda: self.channel.dialogue.handle(message))

    async def location(self, update: Update, context: Context) -> None:
        """A shared place: the core keeps it to find jobs nearby."""
        message, chat_id = update.message, convert.private_chat_id(update)
        incoming = convert.location_message(update, message) if message else None
        if incoming is None or chat_id is None:
            await self.channel.skip(update)
            return
        await self.channel.answer(update, chat_id, incoming)

    async def other(self, update: Update, context: Context) -> None:
        """Photos, voice, stickers, files, ...: only the kind goes to the core."""
        message, chat_id = update.message, convert.private_chat_id(update)
        incoming = convert.other_message(update, message) if message else None
        if incoming is None or chat_id is None:
            await self.channel.skip(update)
            return
        await self.channel.answer(update, chat_id, incoming)

    async def edited(self, update: Update, context: Context) -> None:
        """An edited message gets one note: answering it again could answer the wrong question.

        A moving live location also arrives as an edit; it gets nothing.
        """
        message, chat_id = update.edited_message, convert.private_chat_id(update)
        if message is None or chat_id is None or message.location is not None:
            await self.channel.skip(update)
            return
        if message.text and await self.channel.with_coach(chat_id):
            # a coach owns the conversation: the correction goes to them, marked, no bot note
            edited = convert.text_message(update, message)
            await self.channel.answer(update, chat_id, IncomingMessage(
                channel=edited.channel, external_id=edited.external_id, kind="text",
                text=f"✏️ {edited.text}", lang_hint=edited.lang_hint))
            return
        lang = await self.channel.language(chat_id, _hint(update))
        await self.channel.reply(
            update, chat_id, lambda: self._one(texts.EDITED, lang),
            once_key=convert.once_key("edit", chat_id, message.message_id))

    async def privacy(self, update: Update, context: Context) -> None:
        """/privacy: what is kept, for how long, and how to delete it."""
        chat_id = convert.private_chat_id(update)
        if chat_id is None:
            await self.channel.skip(update)
            return
        lang = await self.channel.language(chat_id, _hint(update))
        days, ledger_days = self.retention_days, self.channel.ledger.keep.days
        await self.channel.reply(update, chat_id, lambda: self._one(
            texts.PRIVACY, lang, days=days, ledger_days=ledger_days))

    async def forget(self, update: Update, context: Context) -> None:
        """/forget: ask first, with buttons."""
        chat_id = convert.private_chat_id(update)
        if chat_id is None:
            await self.channel.skip(update)
            return
        lang = await self.channel.language(chat_id, _hint(update))

        async def ask() -> list[OutgoingMessage]:
            buttons = [
                Button(await self._text(texts.FORGET_YES, lang), FORGET_YES),
                Button(await self._text(texts.FORGET_NO, lang), FORGET_NO),
            ]
            return [await self.channel.local_reply(texts.FORGET_ASK, lang, buttons=buttons)]

        await self.channel.reply(update, chat_id, ask)

    async def forget_answer(self, update: Update, context: Context) -> None:
        """The answer to "shall I delete everything?"."""
        query, chat_id = update.callback_query, convert.private_chat_id(update)
        if query is None or chat_id is None:
            await self.channel.skip(update)
            return
        lang = await self.channel.language(chat_id, _hint(update))

        async def act() -> list[OutgoingMessage]:
            if query.data != FORGET_YES:
                return await self._one(texts.FORGET_KEPT, lang)
            await forget_person(self.channel.sessions, chat_id=chat_id,
                                update_id=update.update_id)
            return await self._one(texts.FORGET_DONE, lang)

        await self.channel.press(update, chat_id, query, act, core=False)

    async def membership(self, update: Update, context: Context) -> None:
        """my_chat_member: the person blocked the bot (inactive) or unblocked it (active)."""
        change, chat_id = update.my_chat_member, convert.private_chat_id(update)
        if change is None or chat_id is None:
            await self.channel.skip(update)
            return
        status = change.new_chat_member.status
        active = status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
        await self.channel.membership(update, chat_id, active)

    async def anything_else(self, update: Update, context: Context) -> None:
        """Updates no other handler took (service messages, new update kinds): done, silently."""
        await self.channel.skip(update)

    async def _one(self, texts_by_lang: dict[str, str], lang: str,
                   **params: object) -> list[OutgoingMessage]:
        return [await self.channel.local_reply(texts_by_lang, lang, params=params)]

    async def _text(self, texts_by_lang: dict[str, str], lang: str) -> str:
        return (await self.channel.dialogue.s.renderer.text(texts_by_lang, lang)).text


def _hint(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None
