"""A recording fake of the chat service, and the languages the web chat tests use."""

from __future__ import annotations

from typing import Any

from bot.messages import Button, IncomingMessage, Link, OutgoingMessage

LANGUAGES = {
    "en": "English",
    "nl": "Nederlands",
    "ar": "العربية",
    "ti": "ትግርኛ",
    "fa": "دری / فارسی",
    "ps": "پښتو",
    "tr": "Türkçe",
    "ckb": "کوردی (سۆرانی)",
    "kmr": "Kurdî (Kurmancî)",
    "so": "Soomaali",
    "fr": "Français",
    "uk": "Українська",
    "ru": "Русский",
}
VISITOR = "v1sitor_Id-0123456789abcdef"


class FakeChatService:
    """Records every call; answers with `replies`, or raises `error` when it is set."""

    def __init__(self) -> None:
        self.handled: list[IncomingMessage] = []
        self.history_calls: list[tuple[str, str, int]] = []
        self.replies: list[OutgoingMessage] = [
            OutgoingMessage(
                text="Hello! What would you like to know?",
                language="en",
                buttons=[Button("May I work?", "intent:can_i_work")],
                links=[Link("UWV", "https://www.uwv.nl/")],
            )
        ]
        self.events: list[dict[str, Any]] = []
        self.error: Exception | None = None

    async def handle(self, message: IncomingMessage) -> list[OutgoingMessage]:
        self.handled.append(message)
        if self.error is not None:
            raise self.error
        return self.replies

    async def history(
        self, channel: str, external_id: str, limit: int = 50, pushed_after: int | None = None
    ) -> list[dict[str, Any]]:
        self.history_calls.append((channel, external_id, limit))
        if self.error is not None:
            raise self.error
        if pushed_after is not None:
            return [e for e in self.events if e.get("id", 0) > pushed_after]
        return self.events
