"""Sign in, sign out and the console's home page."""

import hmac
import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import update
from starlette.responses import HTMLResponse, RedirectResponse, Response

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
from bot.web.login_guard import DEVICE_COOKIE, DEVICE_LIFETIME, Busy, device_cookie, trusted_device
from bot.web.models import User

logger = logging.getLogger(__name__)


WRONG = ("Wrong e-mail address or password. After several wrong tries an account waits a "
         "few minutes before it accepts a password again.")


def too_many_attempts(wait: float) -> Response:
    minutes = max(1, round(wait / 60))
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Too many sign-in attempts</title>"
        f"<p role=\"alert\">Too many sign-in attempts from this connection. Wait {minutes} "
        f"minute{'s' if minutes != 1 else ''} and try again.</p>"
        '<p><a href="/console/login">Back to sign-in</a></p></html>')
    return HTMLResponse(page, status_code=429, headers={
        "Retry-After": str(int(wait) + 1), "Cache-Control": "no-store"})


def build_auth_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console")
    guard = console.guard
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
        # First, before the body is read: a connection past its limit costs almost nothing
        # (a small page, no template, no database) and is answered a little later, so that
        # a guesser that waits for each answer slows down instead of spinning.
        address = request.client.host if request.client else "unknown"
        wait = guard.per_ip.hit(address)
        if wait is not None:
            await guard.slow_down()
            return too_many_attempts(wait)
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
        try:
            signed_in = await sign_in(request, email, password)
        except Busy:
            await guard.slow_down()
            response = login_page(
                request, next_url=next_url, email=email, status_code=503,
                error="The console is busy checking other sign-ins. Try again in a moment.")
            response.headers["Retry-After"] = "5"
            return response
        if signed_in is None:
            return login_page(request, next_url=next_url, email=email, error=WRONG,
                              status_code=401)
        user_id, token_value = signed_in
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token_value, max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
            path="/console", httponly=True, samesite="lax", secure=console.secure_cookies,
        )
        response.set_cookie(
            DEVICE_COOKIE, device_cookie(console.secret_key, user_id),
            max_age=int(DEVICE_LIFETIME.total_seconds()), path="/console/login",
            httponly=True, samesite="strict", secure=console.secure_cookies,
        )
        response.delete_cookie(LOGIN_COOKIE, path="/console/login")
        return response

    async def sign_in(request: Request, email: str, password: str) -> tuple[int, str] | None:
        """(user id, session token) for a right password on an open account, else None.

        Three steps, so that no transaction is open while argon2 runs (~50 ms of CPU in a
        worker thread): count the attempt (or find that the account waits), check the
        password, then settle. An unknown or waiting account is checked against a dummy hash
        and answered exactly like a wrong password."""
        async with console.sessions() as session, session.begin():
            user = await accounts.find_user(session, email=email)
            device = None
            counted = allowed = False
            if user is not None and user.active:
                device = trusted_device(console.secret_key,
                                        request.cookies.get(DEVICE_COOKIE), user.id)
                if device is not None:
                    allowed = not guard.device_failures.blocked(device)
                else:
                    allowed = counted = await accounts.reserve_attempt(session, user_id=user.id)
            if user is not None:
                session.expunge(user)
        if user is None or not allowed:
            await guard.verifier.verify_dummy(password)
            right = False
        else:
            right = await guard.verifier.verify(user.password_hash, password)
        rehashed = await guard.verifier.needs_rehash(user.password_hash, password) \
            if right and user is not None else None
        async with console.sessions() as session, session.begin():
            if user is None or not right:
                if device is not None and allowed:
                    guard.device_failures.hit(device)
                await accounts.audit(
                    session, actor=accounts.normalise_email(email)[:254], action="login_failed",
                    user_id=user.id if user is not None else None,
                    detail={"throttled": user is not None and user.active and not allowed,
                            "trusted_browser": device is not None},
                )
                return None
            await accounts.settle_attempt(session, user=user, counted=counted)
            if rehashed is not None:
                await session.execute(update(User).where(User.id == user.id)
                                      .values(password_hash=rehashed))
            token_value, _row = await accounts.start_session(session, user=user)
            await accounts.audit(session, actor=user.email, action="login", user_id=user.id,
                                 detail={"trusted_browser": device is not None})
        return user.id, token_value

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

    def account_page(request: Request, *, errors: dict[str, str] | None = None,
                     done: bool = False, status_code: int = 200) -> Response:
        return render(console, request, "account.html", status_code=status_code,
                      title="Your account", errors=errors or {}, done=done,
                      min_password=accounts.MIN_PASSWORD_LENGTH,
                      idle_minutes=console.settings.console.idle_minutes)

    @router.get("/account", name="console_account")
    async def account(request: Request, viewer: AnyUser, done: str = "") -> Response:
        return account_page(request, done=done == "password")

    @router.post("/account/password", name="console_own_password")
    async def own_password(request: Request, form: AnyForm) -> Response:
        """A signed-in user changes their own password: the current one is checked (counted
        against the account like a sign-in, so a stolen session cannot guess it), the others
        of their sessions end, and this browser gets a new session."""
        current, new = form.get("current"), form.get("password")
        if len(new) < accounts.MIN_PASSWORD_LENGTH:
            return account_page(request, status_code=422, errors={
                "password": f"the new password needs at least {accounts.MIN_PASSWORD_LENGTH} "
                            "characters"})
        if new != form.get("password_again"):
            return account_page(request, status_code=422, errors={
                "password": "the two new passwords do not match"})
        async with console.sessions() as session, session.begin():
            user = await session.get(User, form.viewer.user_id)
            if user is None:
                raise Forbidden("Your account no longer exists.")
            allowed = await accounts.reserve_attempt(session, user_id=user.id)
            stored_hash = user.password_hash
        try:
            right = allowed and await guard.verifier.verify(stored_hash, current)
            if not allowed:
                await guard.verifier.verify_dummy(current)
            new_hash = await guard.verifier.hash(new) if right else None
        except Busy:
            return account_page(request, status_code=503, errors={
                "current": "the console is busy checking sign-ins; try again in a moment"})
        async with console.sessions() as session, session.begin():
            user = await session.get(User, form.viewer.user_id)
            if user is None:
                raise Forbidden("Your account no longer exists.")
            if new_hash is None:
                await accounts.audit(session, actor=user.email, action="password_change_failed",
                                     user_id=user.id, detail={"throttled": not allowed})
                token_value = None
            else:
                await accounts.settle_attempt(session, user=user, counted=True)
                await accounts.end_user_sessions(session, user_id=user.id)
                await session.execute(update(User).where(User.id == user.id)
                                      .values(password_hash=new_hash))
                token_value, _row = await accounts.start_session(session, user=user)
                await accounts.audit(session, actor=user.email, action="password_changed",
                                     user_id=user.id)
        if token_value is None:
            problem = ("your current password is not right" if allowed else
                       "too many wrong tries: wait a few minutes, then try again")
            return account_page(request, status_code=422, errors={"current": problem})
        response = RedirectResponse("/console/account?done=password", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token_value, max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
            path="/console", httponly=True, samesite="lax", secure=console.secure_cookies,
        )
        return response

    @router.get("/", name="console_home")
    async def home(request: Request, viewer: AnyUser) -> Response:
        return render(console, request, "home.html", title="Werkpad console")

    return router
