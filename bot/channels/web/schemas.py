"""What the chat page may send, the size limit, and the JSON errors it gets back."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from starlette.requests import Request
from starlette.responses import JSONResponse

MAX_BODY_BYTES = 20 * 1024
MAX_PAYLOAD_BYTES = 64  # the button payload grammar in bot/messages.py
VISITOR_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
VISITOR_RULE = "visitor must be 16 to 64 characters of A-Z, a-z, 0-9, '_' or '-'"


class BodyTooLarge(Exception):
    """The request body is over MAX_BODY_BYTES; answered with 413."""


class MessageIn(BaseModel):
    """One POST /chat/api/message body. Unknown keys are ignored so older pages keep working."""

    model_config = ConfigDict(extra="ignore")

    visitor: str
    text: str = ""
    payload: str | None = None
    lang: str | None = None
    message_id: str | None = None  # chosen by the page and reused on retry, so the core can dedupe

    @field_validator("visitor")
    @classmethod
    def _visitor(cls, value: str) -> str:
        if not is_visitor_id(value):
            raise ValueError(VISITOR_RULE)
        return value

    @field_validator("payload")
    @classmethod
    def _payload(cls, value: str | None) -> str | None:
        if value is not None and not 0 < len(value.encode()) <= MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload must be 1 to {MAX_PAYLOAD_BYTES} bytes")
        return value

    @field_validator("message_id")
    @classmethod
    def _message_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
            raise ValueError("message_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
        return value


def is_visitor_id(value: str) -> bool:
    return VISITOR_RE.fullmatch(value) is not None


async def read_limited_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """Read the body, refusing it as soon as it is over `limit`, whatever Content-Length says."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def error_response(status: int, error: str, detail: str | list[str] | None = None) -> JSONResponse:
    content: dict[str, Any] = {"error": error}
    if detail is not None:
        content["detail"] = detail
    return JSONResponse(content, status_code=status)


def invalid_message_response(exc: ValidationError) -> JSONResponse:
    """422 naming what is wrong; a bad visitor id gets its own error code."""
    problems = exc.errors(include_url=False)
    if any(p["loc"][:1] == ("visitor",) for p in problems):
        return error_response(422, "invalid_visitor", VISITOR_RULE)
    details = [
        f"{'.'.join(str(part) for part in p['loc']) or 'body'}: {p['msg']}" for p in problems
    ]
    return error_response(422, "invalid_request", details)
