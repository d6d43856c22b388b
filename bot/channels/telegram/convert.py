"""Turning a Telegram Update into Werkpad's IncomingMessage (and nothing else: no I/O here).

Only what a step needs crosses over: the text, the pressed payload, a location, or for photos,
voice messages, files and the like only the kind of thing that was sent.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType, MessageAttachmentType

from bot.messages import IncomingMessage

CHANNEL = "telegram"

# Commands the core understands, as the payload of the matching core command. They go to the
# core as a command payload rather than as "/start" text: before consent the core keeps typed
# text as the person's first question, and "/start" is not a question.
CORE_COMMANDS = {
    "start": "cmd:menu",
    "menu": "cmd:menu",
    "help": "cmd:menu",
    "coach": "cmd:coach",
    "language": "cmd:language",
    "cancel": "cmd:stop",
    "stop": "cmd:stop",
    "back": "cmd:back",
}
# Channel-local button payloads (never sent to the core): `tg:forget:yes`, `tg:forget:no`.
LOCAL_PREFIX = "tg:"


def private_chat_id(update: Update) -> int | None:
    """The chat id when the update comes from a private chat with the bot, else None."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return None
    return chat.id


def chat_key(update: object) -> str:
    """What serialises updates: one person's updates are handled in order, one at a time."""
    if isinstance(update, Update):
        message = update.effective_message
        if message is not None and message.is_topic_message and message.message_thread_id:
            # the coaches' group: each ticket's topic is its own conversation
            return f"chat:{message.chat.id}:{message.message_thread_id}"
        if update.effective_chat is not None:
            return f"chat:{update.effective_chat.id}"
        if update.effective_user is not None:
            return f"user:{update.effective_user.id}"
        return f"update:{update.update_id}"
    return "other"


def _lang(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None


def text_message(update: Update, message: Message) -> IncomingMessage:
    return IncomingMessage(
        channel=CHANNEL, external_id=str(message.chat.id), kind="text",
        text=message.text or "", lang_hint=_lang(update), message_id=str(message.message_id),
    )


def command_message(
    update: Update, message: Message, name: str, args: list[str], languages: list[str]
) -> IncomingMessage:
    """/start, /menu, ... as the core's command; `/start ar` (a deep link) hints the language."""
    hint = _lang(update)
    if name == "start" and args and args[0].lower() in languages:
        hint = args[0].lower()
    return IncomingMessage(
        channel=CHANNEL, external_id=str(message.chat.id), kind="command",
        payload=CORE_COMMANDS[name], lang_hint=hint, message_id=str(message.message_id),
    )


def button_message(update: Update, query: CallbackQuery, chat_id: int) -> IncomingMessage:
    """The payload only. The label is left out on purpose: the core detects the language of
    any text it gets, and a label shown in the English fallback would switch a Tigrinya
    reader to English."""
    return IncomingMessage(
        channel=CHANNEL, external_id=str(chat_id), kind="button", payload=query.data or "",
        lang_hint=_lang(update),
    )


def pressed_label(query: CallbackQuery) -> str | None:
    """The label of the button that was pressed, read from the message's own keyboard."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def location_message(update: Update, message: Message) -> IncomingMessage | None:
    location = message.location or (message.venue.location if message.venue else None)
    if location is None:
        return None
    return IncomingMessage(
        channel=CHANNEL, external_id=str(message.chat.id), kind="location",
        location=(location.latitude, location.longitude), lang_hint=_lang(update),
        message_id=str(message.message_id),
    )


def other_message(update: Update, message: Message) -> IncomingMessage | None:
    """A photo, voice message, sticker, ...: only its kind. None for service messages
    (a pinned message, a changed timer), which need no answer."""
    kind = attachment_type(message)
    if kind is None:
        return None
    return IncomingMessage(
        channel=CHANNEL, external_id=str(message.chat.id), kind="other", other_type=kind,
        lang_hint=_lang(update), message_id=str(message.message_id),
    )


def attachment_type(message: Message) -> str | None:
    """"photo", "voice", "sticker", ... (animations before documents: a GIF is both)."""
    for kind in MessageAttachmentType:
        if getattr(message, kind.value, None):
            return str(kind.value)
    return None


def once_key(kind: str, chat_id: int, message_id: int) -> str:
    """One reaction per pressed keyboard or edited message: "press:<chat>:<message>"."""
    return f"{kind}:{chat_id}:{message_id}"
