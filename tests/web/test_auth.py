"""Sign-in, sessions, lock-out and sign-out of the console."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import utcnow
from bot.db.session import make_sessionmaker
from bot.settings import Settings
from bot.web import accounts
from bot.web.models import AuditEvent, ConsoleSession, User
from tests.support.fakes import ScriptedNLU
from tests.web.conftest import ADMIN, Site, client_for, csrf_token, login, make_site


async def test_admin_signs_in_and_gets_a_safe_cookie(site: Site, anon: httpx.AsyncClient) -> None:
    response = await login(anon, ADMIN[0], ADMIN[2])

    assert response.status_code == 303
    assert response.headers["location"] == "/console/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("werkpad_console=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # development runs on http://127.0.0.1
    home = await anon.get("/console/")
    assert home.status_code == 200
    assert "Ada Admin (admin)" in home.text
    assert home.headers["cache-control"] == "no-store"
    assert "script-src 'none'" in home.headers["content-security-policy"]
    async with make_sessionmaker(site.engine)() as session:
        stored = (await session.scalars(select(ConsoleSession))).all()
        actions = (await session.scalars(select(AuditEvent.action))).all()
    token = anon.cookies["werkpad_console"]
    assert [s.token_hash for s in stored] == [accounts.token_hash(token)]  # never the token
    assert actions == ["login"]


async def test_production_cookies_are_secure(
    db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any
) -> None:
    key = secrets.token_hex(32)
    production = settings.model_copy(update={
        "environment": "production",
        "secrets": settings.secrets.model_copy(update={"web_secret_key": key}),
    })
    site = await make_site(production, db_engine, nlu, places)
    async with client_for(site.app) as client:
        page = await client.get("/console/login")
        assert "Secure" in page.headers["set-cookie"]
        # httpx keeps a Secure cookie away from http://testserver, as a browser would
        client.cookies.set("werkpad_login", page.cookies["werkpad_login"])
        response = await client.post("/console/login", data={
            "csrf_token": csrf_token(page.text), "email": ADMIN[0], "password": ADMIN[2],
        })
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


async def test_wrong_password_is_refused(anon: httpx.AsyncClient) -> None:
    response = await login(anon, ADMIN[0], "not the password")

    assert response.status_code == 401
    assert "Wrong e-mail address or password." in response.text
    assert "werkpad_console" not in anon.cookies
    unknown = await login(anon, "nobody@example.org", "whatever it is")
    assert unknown.status_code == 401
    assert "Wrong e-mail address or password." in unknown.text  # the same words


async def test_login_form_needs_its_csrf_token(anon: httpx.AsyncClient) -> None:
    await anon.get("/console/login")
    response = await anon.post("/console/login", data={"email": ADMIN[0], "password": ADMIN[2]})
    assert response.status_code == 403
    forged = await anon.post("/console/login", data={
        "email": ADMIN[0], "password": ADMIN[2], "csrf_token": "0" * 64})
    assert forged.status_code == 403
    assert "werkpad_console" not in anon.cookies


async def test_sign_in_only_redirects_inside_the_console(anon: httpx.AsyncClient) -> None:
    page = await anon.get("/console/login", params={"next": "https://evil.example/"})
    response = await anon.post("/console/login", data={
        "csrf_token": csrf_token(page.text), "email": ADMIN[0], "password": ADMIN[2],
        "next": "//evil.example/console"})
    assert response.headers["location"] == "/console/"


async def test_a_page_asks_for_sign_in_and_returns_after_it(anon: httpx.AsyncClient) -> None:
    response = await anon.get("/console/faq/work_permit?lang=ar")
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/console/login?next=%2Fconsole%2Ffaq%2Fwork_permit%3Flang%3Dar")
    page = await anon.get(response.headers["location"])
    assert 'name="next" value="/console/faq/work_permit?lang=ar"' in page.text


async def test_sign_out_ends_the_session(site: Site, admin: httpx.AsyncClient) -> None:
    cookie = admin.cookies["werkpad_console"]
    page = await admin.get("/console/")
    response = await admin.post("/console/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    async with client_for(site.app) as other:  # the old cookie, replayed, is worthless
        other.cookies.set("werkpad_console", cookie)
        replay = await other.get("/console/")
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/console/login")


async def test_an_expired_session_is_refused(site: Site, admin: httpx.AsyncClient) -> None:
    async with make_sessionmaker(site.engine)() as session, session.begin():
        for row in (await session.scalars(select(ConsoleSession))).all():
            row.expires_at = utcnow() - timedelta(seconds=1)
    response = await admin.get("/console/")
    assert response.status_code == 303
    await login(admin, ADMIN[0], ADMIN[2])  # a new sign-in clears the expired sessions away
    async with make_sessionmaker(site.engine)() as session:
        assert len((await session.scalars(select(ConsoleSession))).all()) == 1


async def test_a_deactivated_user_is_signed_out(site: Site, admin: httpx.AsyncClient) -> None:
    async with make_sessionmaker(site.engine)() as session, session.begin():
        user = await session.scalar(select(User).where(User.email == ADMIN[0]))
        assert user is not None
        user.active = False
    assert (await admin.get("/console/")).status_code == 303
