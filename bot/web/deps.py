"""What every console route depends on: the Console services, who is signed in, their role,
and the posted form with its CSRF token checked.

Routes take these as FastAPI dependencies, so a route cannot forget them: the route test
walks every console route and proves each one checks sign-in, role and CSRF.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from bot.content.store import ContentStore
from bot.language.translation import Translator
from bot.settings import Settings
from bot.web import accounts
from bot.web.login_guard import LoginGuard

SESSION_COOKIE = "werkpad_console"
LOGIN_COOKIE = "werkpad_login"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 1024 * 1024  # a whole posted form: the largest content file is ~60 KB
MAX_UPLOAD_BYTES = 256 * 1024  # one uploaded YAML file


@dataclass
class Console:
    """The services the console runs on; built once in bot.app.build_web_app."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    templates: Jinja2Templates
    secret_key: str
    translator: Translator
    today: Callable[[], date]
    content: ContentStore | None = None  # the running bot's content; reloaded after publish
    on_publish: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    guard: LoginGuard = field(init=False, repr=False)

    def __post_init__(self) -> None:
        limits = self.settings.console
        self.guard = LoginGuard(
            attempts_per_ip=limits.login_attempts_per_ip,
            window_minutes=limits.login_window_minutes,
            checks_at_once=limits.login_checks_at_once,
            checks_waiting=limits.login_checks_waiting,
        )

    @property
    def secure_cookies(self) -> bool:
        return self.settings.environment == "production"

    async def published(self) -> None:
        """Tell the running bot that content changed (reload its ContentStore)."""
        if self.content is not None:
            await self.content.reload(self.sessions, self.settings)
        for hook in self.on_publish:
            await hook()


@dataclass(frozen=True)
class Viewer:
    """The signed-in console user, as the routes and templates see them."""

    user_id: int
    email: str
    name: str
    role: str
    csrf_token: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass
class PostedForm:
    """A posted form whose CSRF token matched; `too_large` when the body was refused unread."""

    viewer: Viewer
    fields: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    too_large: bool = False

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class LoginRequired(Exception):
    """Not signed in: the handler in bot/web/console.py redirects to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Forbidden(Exception):
    """Signed in but not allowed (wrong role, bad CSRF token): a 403 page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FormTooLarge(Exception):
    """The posted body is over MAX_FORM_BYTES: a 413 page."""


MAX_ID_DIGITS = 18  # every id fits a signed 64-bit integer (SQLite and PostgreSQL BIGINT)


def id_number(text: str) -> int | None:
    """An id or number from a URL or form: ASCII digits only, at most 18 of them; else None
    (so NUL bytes, signs, words and numbers too big for the database are a 404, not a 500)."""
    if text.isascii() and text.isdecimal() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


def login_next(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/console/login?next={quote(target, safe='')}"


def safe_next(value: str | None) -> str:
    """Only ever redirect inside the console after sign-in (no open redirect)."""
    if value and value.startswith("/console") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console/"


def login_csrf(secret_key: str, nonce: str) -> str:
    """The login form's token: an HMAC of the login cookie's nonce (signed double submit)."""
    return hmac.new(secret_key.encode(), f"login:{nonce}".encode(), "sha256").hexdigest()


class Gate:
    """Dependencies for console routes: `gate.role("admin")`, `gate.form("admin")`."""

    def __init__(self, console: Console) -> None:
        self.console = console

    async def viewer(self, request: Request) -> Viewer | None:
        """The signed-in user of this request (looked up once per request), else None."""
        if hasattr(request.state, "viewer"):
            cached: Viewer | None = request.state.viewer
            return cached
        viewer = None
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            idle = timedelta(minutes=self.console.settings.console.idle_minutes)
            async with self.console.sessions() as session, session.begin():
                found = await accounts.load_session(session, token=token, idle=idle)
            if found is not None:
                row, user = found
                viewer = Viewer(user.id, user.email, user.name, user.role, row.csrf_token)
        request.state.viewer = viewer
        return viewer

    def role(self, *roles: str) -> Callable[[Request], Awaitable[Viewer]]:
        """A dependency: the signed-in user, who must have one of `roles`."""

        async def require(request: Request) -> Viewer:
            viewer = await self.viewer(request)
            if viewer is None:
                raise LoginRequired(login_next(request))
            if viewer.role not in roles:
                raise Forbidden("This page is for " + " and ".join(roles) + " users only.")
            return viewer

        return require

    def form(
        self, *roles: str, allow_too_large: bool = False
    ) -> Callable[[Request], Awaitable[PostedForm]]:
        """A dependency for POST routes: role check, body size limit, CSRF check."""
        require = self.role(*roles)

        async def read(request: Request) -> PostedForm:
            viewer = await require(request)
            body = await read_limited(request, MAX_FORM_BYTES)
            if body is None:
                if allow_too_large:  # the route shows the error; it must change nothing
                    return PostedForm(viewer, too_large=True)
                raise FormTooLarge()
            posted = await parse_form(request, viewer)
            if not hmac.compare_digest(posted.get(CSRF_FIELD), viewer.csrf_token):
                raise Forbidden("The form's security token is missing or out of date. "
                                "Go back, reload the page and try again.")
            return posted

        return read


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is over `limit` bytes (not read further)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # starlette parses the form from this cached body
    return body


async def parse_form(request: Request, viewer: Viewer) -> PostedForm:
    try:
        form = await request.form(max_files=4, max_fields=400, max_part_size=MAX_FORM_BYTES)
    except MultiPartException as exc:
        raise Forbidden(f"The form could not be read: {exc.message}") from None
    posted = PostedForm(viewer)
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            if data or value.filename:
                posted.files[key] = data
        else:
            posted.fields.setdefault(key, value)
            posted.lists.setdefault(key, []).append(value)
    return posted


def page_context(request: Request, viewer: Viewer | None, **values: Any) -> dict[str, Any]:
    return {"viewer": viewer, "csrf_field": CSRF_FIELD, "path": request.url.path, **values}
