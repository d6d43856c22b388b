"""The web chat channel: a phone-first chat page and the JSON API behind it."""

from bot.channels.web.languages import RTL_LANGUAGES
from bot.channels.web.router import build_chat_router
from bot.channels.web.service import ChatService

__all__ = ["RTL_LANGUAGES", "ChatService", "build_chat_router"]
