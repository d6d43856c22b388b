"""A fake Telegram Bot API on 127.0.0.1 (Starlette + uvicorn, a random port).

PTB reaches it over real HTTP through `base_url`. It records every call, answers like Telegram
(getUpdates with offsets and long polling, sendMessage returning a Message with entities,
edits, callback answers), and records a *violation* for an unexpected method or a parameter
Telegram would refuse. Tests can script failures (429, 403, 502) and freeze it (hold every
request, as if the network were cut) to kill a bot process at a chosen moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tg_checks import (
    METHODS,
    check_call,
    decode_params,
    inline_keyboard,
    integer,
    one_of,
    parse_html,
    string,
    utf16_len,
)
from tg_serve import Served, serve

TOKEN = "123456:TEST-token_for-the-fake"
BOT = {"id": 4242, "is_bot": True, "first_name": "Werkpad", "username": "werkpad_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False,
       "supports_inline_queries": False}


# sendDocument: the file arrives as a multipart upload (recorded in FakeBotAPI.documents).
METHODS.setdefault("sendDocument", ({"chat_id": integer, "document": string}, {
    "caption": string, "parse_mode": one_of("HTML"), "reply_markup": inline_keyboard}))


@dataclass
class Document:
    chat_id: int
    filename: str
    data: bytes


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Failure:
    method: str
    status: int
    description: str
    times: int = 1
    retry_after: int | None = None
    when: Callable[[dict[str, Any]], bool] = field(default=lambda params: True)


class FakeBotAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.pending: list[dict[str, Any]] = []  # updates Telegram still holds
        self.history: dict[int, dict[str, Any]] = {}  # every update ever pushed
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.answered_queries: set[str] = set()
        self.topics: dict[int, str] = {}  # forum topics of the coaches' group
        self.documents: list[Document] = []  # files sent with sendDocument, in order
        self.failures: list[Failure] = []
        self.webhook: dict[str, Any] | None = None
        self.frozen = False
        self.stopping = False
        self._thaw = asyncio.Event()
        self._thaw.set()
        self._new = asyncio.Event()
        self._update_ids = itertools.count(10_000)
        self._message_ids = itertools.count(1)
        self._served: Served | None = None
        self.base_url = ""

    # -- running -----------------------------------------------------------------------------

    async def start(self) -> str:
        app = Starlette(routes=[
            Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"]),
        ])
        self._served = await serve(app)
        self.base_url = f"{self._served.url}/bot"
        return self.base_url

    async def stop(self) -> None:
        self.thaw()
        self.stopping = True
        self._new.set()  # end the long polls still waiting
        if self._served is not None:
            await self._served.stop()

    # -- the test side -----------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id (kept if given)."""
        update = {"update_id": next(self._update_ids), **update}
        self.pending.append(update)
        self.history[int(update["update_id"])] = update
        self._new.set()
        return int(update["update_id"])

    def redeliver(self, update_id: int) -> None:
        """Send an update again, as Telegram does when its receipt was never confirmed."""
        self.push(self.history[update_id])

    def fail(self, method: str, status: int, description: str, **kw: Any) -> None:
        self.failures.append(Failure(method, status, description, **kw))

    def freeze(self) -> None:
        """Hold every request from now on, unrecorded, as if the network were cut."""
        self.frozen = True
        self._thaw.clear()

    def thaw(self) -> None:
        self.frozen = False
        self._thaw.set()

    def sent(self, chat_id: int | None = None, since: int = 0) -> list[dict[str, Any]]:
        """sendMessage calls that succeeded (to one chat), in order, from call index `since`."""
        return [c.params for c in self.calls[since:]
                if c.method == "sendMessage" and c.status == 200
                and (chat_id is None or int(c.params["chat_id"]) == chat_id)]

    def methods(self, since: int = 0) -> list[str]:
        return [c.method for c in self.calls[since:] if c.method != "getUpdates"]

    def last_keyboard_message(self, chat_id: int) -> dict[str, Any] | None:
        for (chat, _), message in sorted(self.messages.items(), reverse=True):
            if chat == chat_id and message.get("reply_markup"):
                return message
        return None

    # -- the Bot API -------------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        if self.frozen:
            await self._thaw.wait()
            return Response("network was cut", status_code=502)
        method = request.path_params["method"]
        if request.path_params["token"] != TOKEN:
            return _error(401, "Unauthorized")
        form = await request.form() if request.method == "POST" else request.query_params
        params = decode_params({k: v for k, v in form.items() if isinstance(v, str)})
        uploads = {k: v for k, v in form.items() if not isinstance(v, str)}
        for name, upload in uploads.items():  # a file part: kept aside, named in the params
            params[name] = f"<upload {upload.filename}>"
            params[f"_{name}"] = (upload.filename or "", await upload.read())
        call = Call(method, {k: v for k, v in params.items() if not k.startswith("_")},
                    time.monotonic())
        self.calls.append(call)
        problems = check_call(method, call.params) + self._check_content(method, params)
        if problems:
            self.violations.extend(problems)
            call.status = 400
            return _error(400, "Bad Request: " + "; ".join(problems))
        if (failure := self._scripted(method, params)) is not None:
            call.status = failure.status
            if failure.status == 502:
                return Response("Bad Gateway", status_code=502)
            extra = {"retry_after": failure.retry_after} if failure.retry_after else None
            return _error(failure.status, failure.description, extra)
        result = await getattr(self, f"_{method}")(params)
        if isinstance(result, Response):
            call.status = result.status_code
            return result
        return JSONResponse({"ok": True, "result": result})

    def _check_content(self, method: str, params: dict[str, Any]) -> list[str]:
        if method == "sendDocument":
            upload = params.get("_document")
            if upload is None or not upload[1]:
                return ["sendDocument: the document must be an uploaded, non-empty file"]
            return []
        if method not in ("sendMessage", "editMessageText") or "text" not in params:
            return []
        text = params["text"]
        if params.get("parse_mode") == "HTML":
            try:
                text, _ = parse_html(text)
            except ValueError as exc:
                return [f"{method}: HTML Telegram would refuse: {exc}"]
        if utf16_len(text) > 4096:
            return [f"{method}: text of {utf16_len(text)} characters (4096 allowed)"]
        return []

    def _scripted(self, method: str, params: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if failure.method == method and failure.times > 0 and failure.when(params):
                failure.times -= 1
                return failure
        return None

    async def _getMe(self, params: dict[str, Any]) -> Any:
        return BOT

    async def _getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        if offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        if not self.pending and not self.stopping:
            self._new.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new.wait(), min(float(params.get("timeout") or 0), 1))
        return self.pending[:limit]

    async def _deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = params
        return True

    async def _setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = params["callback_query_id"]
        if query_id in self.answered_queries:
            self.violations.append(f"answerCallbackQuery: query {query_id} answered twice")
            return _error(400, "Bad Request: query is too old or query ID is invalid")
        self.answered_queries.add(query_id)
        return True

    async def _sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        message = self._message(chat_id, next(self._message_ids), params)
        self.messages[(chat_id, message["message_id"])] = message
        return public(message)

    async def _sendDocument(self, params: dict[str, Any]) -> Any:
        chat_id, (filename, data) = int(params["chat_id"]), params["_document"]
        self.documents.append(Document(chat_id, filename, data))
        message_id = next(self._message_ids)
        return {"message_id": message_id, "date": int(time.time()), "from": BOT,
                "chat": {"id": chat_id, "type": "private", "first_name": "Person"},
                "document": {"file_id": f"doc-{message_id}", "file_unique_id": f"u{message_id}",
                             "file_name": filename, "mime_type": "application/pdf",
                             "file_size": len(data)}}

    async def _createForumTopic(self, params: dict[str, Any]) -> Any:
        thread_id = next(self._message_ids)
        self.topics[thread_id] = str(params["name"])
        return {"message_thread_id": thread_id, "name": params["name"], "icon_color": 7322096}

    async def _deleteForumTopic(self, params: dict[str, Any]) -> Any:
        self.topics.pop(int(params["message_thread_id"]), None)
        return True

    async def _copyMessage(self, params: dict[str, Any]) -> Any:
        return {"message_id": next(self._message_ids)}

    async def _editMessageText(self, params: dict[str, Any]) -> Any:
        return self._edit(params, text=True)

    async def _editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return self._edit(params, text=False)

    def _edit(self, params: dict[str, Any], *, text: bool) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        old = self.messages.get(key)
        if old is None:
            self.violations.append(f"edit of unknown message {key}")
            return _error(400, "Bad Request: message to edit not found")
        new = self._message(key[0], key[1], params if text else {**old["_params"], **params,
                            "reply_markup": params.get("reply_markup")})
        if new["text"] == old["text"] and new.get("reply_markup") == old.get("reply_markup"):
            return _error(400, "Bad Request: message is not modified")
        self.messages[key] = new
        return public(new)

    def _message(self, chat_id: int, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        text, entities = params["text"], []
        if params.get("parse_mode") == "HTML":
            text, entities = parse_html(text)
        message: dict[str, Any] = {
            "message_id": message_id, "date": int(time.time()), "from": BOT,
            "chat": {"id": chat_id, "type": "private", "first_name": "Person"}, "text": text,
            "_params": {k: v for k, v in params.items() if k != "reply_markup"},
        }
        if entities:
            message["entities"] = entities
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message


def public(message: dict[str, Any]) -> dict[str, Any]:
    """A stored message as Telegram would put it into an update."""
    return {k: v for k, v in message.items() if not k.startswith("_")}


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)
