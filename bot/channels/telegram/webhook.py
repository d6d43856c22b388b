"""The webhook endpoint, served by the web app (one server, one event loop).

Telegram POSTs each update with the secret in `X-Telegram-Bot-Api-Secret-Token`. The update
is stored in the ledger before we answer 200; if we answer anything else, Telegram sends it
again later, and a redelivery of an update we already have is answered 200 and dropped.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from telegram import Bot, Update

from bot.channels.telegram.ledger import Ledger
from bot.channels.telegram.polling import to_incoming
from bot.channels.web.schemas import BodyTooLarge, read_limited_body

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # an update is a few kB; refuse anything absurd before reading it
Endpoint = Callable[[Request], Awaitable[Response]]


def _looks_like_update(data: object) -> bool:
    """A JSON object whose update_id is a whole number the database can hold."""
    if not isinstance(data, dict):
        return False
    update_id = data.get("update_id")
    return (isinstance(update_id, int) and not isinstance(update_id, bool)
            and 0 <= update_id < 2**63)


def webhook_path(webhook_url: str) -> str:
    """The local path Telegram's POSTs arrive on: the path of TELEGRAM_WEBHOOK_URL."""
    return urlsplit(webhook_url).path or "/"


def make_endpoint(bot: Bot, ledger: Ledger, queue: asyncio.Queue[object],
                  secret: str) -> Endpoint:
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("webhook call without the right secret from %s",
                           request.client.host if request.client else "?")
            return Response(status_code=403)
        try:  # refused as soon as it is over the limit, also when chunked
            body = await read_limited_body(request, MAX_BODY)
        except BodyTooLarge:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            if not _looks_like_update(data):
                raise ValueError("not an object with a valid update_id")
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            logger.warning("webhook body is not a Telegram update")
            return Response(status_code=400)
        fresh = await ledger.intake([to_incoming(update, data)])
        if update.update_id in fresh:
            await queue.put(update)
        else:
            logger.info("update %s came again; it is answered only once", update.update_id)
        return Response(status_code=200)

    return telegram_webhook
