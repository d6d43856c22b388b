"""Sign in, sign out and the console's home page."""

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.web import accounts
from bot.web.console import render
from bot.web.deps import (
    LOGIN_COOKIE,
    MAX_FORM_BYTES,
    SESSION_COOKIE,
    Console,
    Forbidden,
    FormTooLarge,
    Gate,
    PostedForm,
    Viewer,
    login_csrf,
    read_limited,
    safe_next,
)

logger = logging.getLogger(__name__)


def build_auth_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console")
    AnyUser = Annotated[Viewer, Depends(gate.role("admin", "coach"))]
    AnyForm = Annotated[PostedForm, Depends(gate.form("admin", "coach"))]

    def login_page(
        request: Request, *, next_url: str, email: str = "", error: str | None = None,
        status_code: int = 200,
    ) -> Response:
        nonce = secrets.token_urlsafe(24)
        response = render(
            console, request, "login.html", status_code=status_code, title="Sign in",
            next_url=next_url,
            email=email, error=error, login_token=login_csrf(console.secret_key, nonce),
        )
        response.set_cookie(
            LOGIN_COOKIE, nonce, max_age=3600, path="/console/login", httponly=True,
            samesite="strict", secure=console.secure_cookies,
        )
        return response

    @router.get("/login", name="console_login")
    async def login_form(request: Request, next: str = "/console/") -> Response:
        if await gate.viewer(request) is not None:
            return RedirectResponse(safe_next(next), status_code=303)
        return login_page(request, next_url=safe_next(next))

    @router.post("/login")
    async def login(request: Request) -> Response:
        body = await read_limited(request, MAX_FORM_BYTES)
        if body is None:
            raise FormTooLarge()
        form = await request.form(max_files=0, max_fields=10)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        token = fields.get("csrf_token", "")
        if not nonce or not hmac.compare_digest(token, login_csrf(console.secret_key, nonce)):
            raise Forbidden("The sign-in form's security token is missing or out of date. "
                            "Reload the sign-in page and try again.")
        email, password = fields.get("email", "").strip(), fields.get("password", "")
        next_url = safe_next(fields.get("next"))
        async with console.sessions() as session, session.begin():
            result = await accounts.authenticate(session, email=email, password=password)
            user = result.user
            if user is None:
                known = await accounts.find_user(session, email=email)
                await accounts.audit(
                    session, actor=accounts.normalise_email(email)[:254], action="login_failed",
                    user_id=known.id if known else None,
                    detail={"locked": result.locked_until is not None},
                )
            else:
                token_value, _row = await accounts.start_session(session, user=user)
                await accounts.audit(session, actor=user.email, action="login", user_id=user.id)
        if user is None:
            if result.locked_until is not None:
                error = ("Too many failed sign-ins: this account is locked for "
                         f"{accounts.LOCK_DURATION.seconds // 60} minutes. Try again later.")
            else:
                error = "Wrong e-mail address or password."
            return login_page(request, next_url=next_url, email=email, error=error,
                              status_code=401)
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token_value, max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
            path="/console", httponly=True, samesite="lax", secure=console.secure_cookies,
        )
        response.delete_cookie(LOGIN_COOKIE, path="/console/login")
        return response

    @router.post("/logout", name="console_logout")
    async def logout(
        request: Request, form: AnyForm
    ) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        async with console.sessions() as session, session.begin():
            await accounts.end_session(session, token=token)
            await accounts.audit(session, actor=form.viewer.email, action="logout",
                                 user_id=form.viewer.user_id)
        response = RedirectResponse("/console/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/console")
        return response

    @router.get("/", name="console_home")
    async def home(request: Request, viewer: AnyUser) -> Response:
        return render(console, request, "home.html", title="Werkpad console")

    return router
