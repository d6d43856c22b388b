"""The conversation manager as the web chat sees it; the core implements this protocol."""

from __future__ import annotations

from typing import Any, Protocol

from bot.messages import IncomingMessage, OutgoingMessage


class ChatService(Protocol):
    async def handle(self, message: IncomingMessage) -> list[OutgoingMessage]: ...
    async def history(
        self, channel: str, external_id: str, limit: int = 50, pushed_after: int | None = None
    ) -> list[dict[str, Any]]: ...
