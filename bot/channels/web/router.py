"""The web chat: the page, its two files, and a JSON API that feeds the chat service.

Mount it with `app.include_router(build_chat_router(service, languages=...))`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.responses import JSONResponse, Response

from bot.channels.web.assets import load_assets
from bot.channels.web.languages import RTL_LANGUAGES, direction, negotiate
from bot.channels.web.schemas import (
    MAX_BODY_BYTES,
    VISITOR_RULE,
    BodyTooLarge,
    MessageIn,
    error_response,
    invalid_message_response,
    is_visitor_id,
    read_limited_body,
)
from bot.channels.web.service import ChatService
from bot.messages import IncomingMessage
from bot.ratelimit import network_key

logger = logging.getLogger(__name__)

CHANNEL = "web"
HISTORY_LIMIT = 50
TEMPLATES_DIR = Path(__file__).parent / "templates"
# Everything the page loads comes from here; links in replies open in a new tab without a referrer.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def too_fast(wait: float) -> Response:
    seconds = max(1, round(wait))
    response = error_response(429, "too_fast", f"wait {seconds} s, then send it again")
    response.headers["Retry-After"] = str(seconds)
    return response


def build_chat_router(
    service: ChatService,
    *,
    languages: dict[str, str],
    default_language: str = "en",
    start_payload: str | None = None,
) -> APIRouter:
    """Build the routes of the web chat; `languages` maps code -> the language's own name.

    `start_payload` (e.g. "cmd:menu"), when given, is sent once, silently, for a first-time
    visitor so the page does not open empty.
    """
    if not languages:
        raise ValueError("the web chat needs at least one language")
    if default_language not in languages:
        default_language = next(iter(languages))
    templates = Jinja2Templates(directory=TEMPLATES_DIR)
    assets = load_assets()
    router = APIRouter()

    @router.get("/", name="chat_page", include_in_schema=False)
    async def page(request: Request) -> Response:
        lang = negotiate(request.headers.get("accept-language"), languages, default_language)

        def asset_url(name: str) -> str:
            path = request.url_for("chat_static", file=name).path
            return f"{path}?v={assets[name].version}"

        config: dict[str, Any] = {
            "messageUrl": request.url_for("chat_message").path,
            "historyUrl": request.url_for("chat_history").path,
            "languages": languages,
            "rtl": sorted(RTL_LANGUAGES),
            "defaultLanguage": lang,
            "startPayload": start_payload,
            "maxBodyBytes": MAX_BODY_BYTES,
        }
        context = {
            "lang": lang,
            "dir": direction(lang),
            "languages": languages,
            "config": config,
            "strings_url": asset_url("ui-strings.js"),
            "script_url": asset_url("chat.js"),
            "style_url": asset_url("chat.css"),
        }
        return templates.TemplateResponse(request, "chat.html", context, headers=PAGE_HEADERS)

    @router.get("/chat/static/{file}", name="chat_static", include_in_schema=False)
    async def static(request: Request, file: str, v: str | None = None) -> Response:
        asset = assets.get(file)
        if asset is None:
            return error_response(404, "not_found")
        return asset.response(
            requested_version=v, if_none_match=request.headers.get("if-none-match")
        )

    @router.post("/chat/api/message", name="chat_message")
    async def message(request: Request) -> Response:
        origin = network_key(request.client.host if request.client else None)
        limits = getattr(service, "limits", None)
        wait = limits.address_message(origin) if limits is not None else None
        if wait is not None:  # before the body is read: a flood costs as little as possible
            return too_fast(wait)
        try:
            body = await read_limited_body(request)
        except BodyTooLarge:
            return error_response(413, "too_large", f"the limit is {MAX_BODY_BYTES} bytes")
        try:
            data = MessageIn.model_validate_json(body)
        except ValidationError as exc:
            return invalid_message_response(exc)
        if not data.payload and not data.text.strip():
            return error_response(422, "empty_message", "send text or a button payload")
        wait = limits.message(f"{CHANNEL}:{data.visitor}") if limits is not None else None
        if wait is not None:  # the page keeps the text in the box and says to wait
            return too_fast(wait)
        incoming = IncomingMessage(
            channel=CHANNEL,
            external_id=data.visitor,
            kind="button" if data.payload else "text",
            text=data.text,  # for a button: its label, so the transcript shows what was tapped
            payload=data.payload,
            lang_hint=data.lang if data.lang in languages else None,
            message_id=data.message_id,
            origin=origin,
            counted=limits is not None,  # against the person's limit, just above
        )
        try:
            replies = await service.handle(incoming)
        # Broad on purpose: whatever broke in the core, the page must get JSON it understands.
        except Exception:
            logger.exception("web chat: the chat service failed to handle a message")
            return error_response(503, "temporarily_unavailable")
        return JSONResponse({"replies": [reply.to_dict() for reply in replies]})

    @router.get("/chat/api/history", name="chat_history")
    async def history(visitor: str = "", after: int | None = None) -> Response:
        if not is_visitor_id(visitor):
            return error_response(422, "invalid_visitor", VISITOR_RULE)
        if after is not None and not 0 <= after < 2**62:
            return error_response(422, "invalid_after", "after is an event id")
        try:
            events = await service.history(CHANNEL, visitor, limit=HISTORY_LIMIT,
                                           pushed_after=after)
        # Broad on purpose: a returning visitor should still be able to chat without history.
        except Exception:
            logger.exception("web chat: the chat service failed to load history")
            return error_response(503, "temporarily_unavailable")
        return JSONResponse({"events": jsonable_encoder(events)})  # `at` may be a datetime

    return router
