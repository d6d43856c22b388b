"""The Telegram channel (python-telegram-bot 22). The only package that imports `telegram`.

    service = TelegramService(settings, dialogue)   # builds the Application (application.py)
    await service.start()                           # polling, or webhook with its route
    ...
    await service.stop()
"""

from bot.channels.telegram.application import build_application
from bot.channels.telegram.runtime import TelegramService

__all__ = ["TelegramService", "build_application"]
