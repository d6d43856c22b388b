"""Refuse a URL with a NUL byte (raw or %00) before any route sees it.

No Werkpad URL has a NUL in it, and PostgreSQL cannot store one in text: a path or query value
with one reached a query and gave a 500 (issue 15, item 7). Plain ASGI, so server-sent event
streams pass through untouched.
"""

from __future__ import annotations

from typing import Any

Scope = dict[str, Any]


class RefuseNulBytes:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body",
                        "body": b"This address has a character that no page here uses.\n"})
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    raw = bytes(scope.get("raw_path") or b"") + b"?" + bytes(scope.get("query_string") or b"")
    return "\x00" in path or b"\x00" in raw or b"%00" in raw.lower()
