"""The sign-in form under attack (issue 15 item 2): argon2 off the event loop with a bound,
limits per connection and per account, a race-free counter, no enumeration, progressive
delays that a trusted browser skips, a coach's own password change, and an idle timeout."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import utcnow
from bot.db.session import make_sessionmaker
from bot.web import accounts
from bot.web.login_guard import Busy, SlidingWindow, Verifier, throttle_delay
from bot.web.models import AuditEvent, ConsoleSession, User
from tests.web.conftest import ADMIN, COACH, Site, client_for, csrf_token, login, token_of

GENERIC = "Wrong e-mail address or password."


# -- the rules, without the web -------------------------------------------------------------


def test_the_delay_grows_from_the_fifth_failure_and_stops_at_fifteen_minutes() -> None:
    assert [throttle_delay(n) for n in range(5)] == [None] * 5
    assert [throttle_delay(n) for n in range(5, 11)] == [
        timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
        timedelta(minutes=4), timedelta(minutes=8), timedelta(minutes=15)]
    assert throttle_delay(500) == timedelta(minutes=15)


def test_a_sliding_window_allows_the_limit_then_says_how_long_to_wait() -> None:
    now = [1000.0]
    window = SlidingWindow(limit=3, seconds=60, clock=lambda: now[0])
    assert [window.hit("a") for _ in range(3)] == [None, None, None]
    wait = window.hit("a")
    assert wait is not None and 59 <= wait <= 60
    assert window.hit("b") is None  # another key has its own count
    now[0] += 61
    assert window.hit("a") is None


def test_a_sliding_window_forgets_old_keys_instead_of_growing() -> None:
    now = [0.0]
    window = SlidingWindow(limit=1, seconds=10, clock=lambda: now[0], max_keys=100)
    for n in range(1000):
        now[0] += 1
        window.hit(f"ip{n}")
    assert len(window) <= 100


async def test_verification_runs_in_a_worker_thread_not_on_the_event_loop() -> None:
    verifier = Verifier(threads=1, queue=4)
    hashed = await verifier.hash("a long enough password")
    seen: list[int] = []
    original = accounts.verify_password

    def spy(password_hash: str, password: str) -> bool:
        seen.append(threading.get_ident())
        return original(password_hash, password)

    verifier.check = spy  # type: ignore[method-assign]
    assert await verifier.verify(hashed, "a long enough password")
    assert not await verifier.verify(hashed, "another one")
    assert seen and threading.get_ident() not in seen


async def test_verifications_beyond_the_queue_are_refused_at_once() -> None:
    verifier = Verifier(threads=1, queue=1)  # one running, one waiting
    gate = threading.Event()

    def slow(password_hash: str, password: str) -> bool:
        gate.wait(10)
        return False

    verifier.check = slow  # type: ignore[method-assign]
    running = [asyncio.create_task(verifier.verify("h", "p")) for _ in range(2)]
    await asyncio.sleep(0.05)
    with pytest.raises(Busy):
        await verifier.verify("h", "p")  # a third while one runs and one waits
    gate.set()
    assert await asyncio.gather(*running) == [False, False]
    assert not await verifier.verify("h", "p")  # room again


async def test_a_hundred_concurrent_guesses_get_at_most_five_tries(
    site: Site, db_engine: AsyncEngine
) -> None:
    """The race the security test found on PostgreSQL: the counter is taken before the
    password is checked, in one conditional UPDATE, so concurrent guesses cannot all read
    'four failures so far'."""
    sessions = make_sessionmaker(db_engine)
    async with sessions() as session:
        user = await accounts.find_user(session, email=COACH[0])
        assert user is not None
        user_id = user.id
    now = utcnow()

    async def one() -> bool:
        async with sessions() as session, session.begin():
            return await accounts.reserve_attempt(session, user_id=user_id, now=now)

    results = await asyncio.gather(*(one() for _ in range(100)))
    assert sum(results) == 5
    async with sessions() as session:
        stored = await session.get(User, user_id)
        assert stored is not None and stored.failed_logins == 5
        assert stored.locked_until is not None
        assert stored.locked_until - now == timedelta(seconds=30)


# -- the sign-in form -----------------------------------------------------------------------


def error_of(response: httpx.Response) -> str:
    start = response.text.index('data-testid="login-error">') + len('data-testid="login-error">')
    return response.text[start:response.text.index("</p>", start)]


async def test_unknown_wrong_and_throttled_accounts_answer_alike(
    site: Site, anon: httpx.AsyncClient
) -> None:
    for _ in range(5):  # the coach's account is now waiting
        await login(anon, COACH[0], "wrong password")
    answers = [await login(anon, email, password) for email, password in (
        ("nobody@example.org", "whatever it is"),  # unknown
        (ADMIN[0], "wrong password"),  # wrong, not throttled
        (COACH[0], COACH[2]),  # throttled, even with the right password
        (COACH[0], "wrong password"),  # throttled, wrong
    )]
    assert {a.status_code for a in answers} == {401}
    assert len({error_of(a) for a in answers}) == 1
    assert GENERIC in error_of(answers[0])
    assert "locked" not in answers[2].text.lower()
    assert "werkpad_console" not in anon.cookies


async def test_the_wait_ends_and_the_right_password_works_again(
    site: Site, anon: httpx.AsyncClient
) -> None:
    for _ in range(5):
        await login(anon, COACH[0], "wrong password")
    assert (await login(anon, COACH[0], COACH[2])).status_code == 401
    sessions = make_sessionmaker(site.engine)
    async with sessions() as session, session.begin():
        await session.execute(update(User).where(User.email == COACH[0]).values(
            locked_until=utcnow() - timedelta(seconds=1)))
    assert (await login(anon, COACH[0], COACH[2])).status_code == 303
    async with sessions() as session:
        user = await accounts.find_user(session, email=COACH[0])
        assert user is not None and user.failed_logins == 0 and user.locked_until is None
        failed = (await session.scalars(select(AuditEvent).where(
            AuditEvent.action == "login_failed").order_by(AuditEvent.id))).all()
    assert len(failed) == 6
    assert [f.detail.get("throttled") for f in failed] == [False] * 4 + [False, True]


async def test_a_browser_that_signed_in_before_is_not_kept_out_by_an_attacker(
    site: Site
) -> None:
    async with client_for(site.app) as coach_browser, client_for(site.app) as attacker:
        assert (await login(coach_browser, COACH[0], COACH[2])).status_code == 303
        assert "werkpad_device" in coach_browser.cookies
        page = await coach_browser.get("/console/")
        await coach_browser.post("/console/logout", data={"csrf_token": csrf_token(page.text)})
        for _ in range(8):
            await login(attacker, COACH[0], "a guess")
        assert (await login(attacker, COACH[0], COACH[2])).status_code == 401
        # the coach's own browser carries its device cookie: the account's wait does not apply
        assert (await login(coach_browser, COACH[0], COACH[2])).status_code == 303


async def test_a_device_cookie_of_another_account_or_forged_does_not_help(site: Site) -> None:
    async with client_for(site.app) as admin_browser:
        assert (await login(admin_browser, ADMIN[0], ADMIN[2])).status_code == 303
        device = admin_browser.cookies["werkpad_device"]
    async with client_for(site.app) as attacker:
        for _ in range(5):
            await login(attacker, COACH[0], "a guess")
        attacker.cookies.set("werkpad_device", device, path="/console/login")
        assert (await login(attacker, COACH[0], COACH[2])).status_code == 401
        user_id, nonce, _mac = device.split(".")
        attacker.cookies.set("werkpad_device", f"{user_id}.{nonce}.{'0' * 64}",
                             path="/console/login")
        assert (await login(attacker, COACH[0], COACH[2])).status_code == 401


async def test_guesses_through_a_trusted_browser_are_limited_too(site: Site) -> None:
    async with client_for(site.app) as browser:
        assert (await login(browser, COACH[0], COACH[2])).status_code == 303
        page = await browser.get("/console/")
        await browser.post("/console/logout", data={"csrf_token": csrf_token(page.text)})
        for _ in range(5):
            assert (await login(browser, COACH[0], "a guess")).status_code == 401
        assert (await login(browser, COACH[0], COACH[2])).status_code == 401


async def test_one_connection_gets_a_limited_number_of_tries(site: Site) -> None:
    limit = site.services.settings.console.login_attempts_per_ip
    async with client_for(site.app) as client:
        for n in range(limit):
            response = await login(client, f"someone{n}@example.org", "a guess")
            assert response.status_code == 401
        refused = await login(client, ADMIN[0], ADMIN[2])
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Too many sign-in attempts from this connection" in refused.text
    assert "werkpad_console" not in refused.headers.get("set-cookie", "")


# -- a coach's own password -----------------------------------------------------------------


async def change(client: httpx.AsyncClient, current: str, new: str,
                 again: str | None = None) -> httpx.Response:
    page = await client.get("/console/account")
    assert page.status_code == 200
    return await client.post("/console/account/password", data={
        "csrf_token": csrf_token(page.text), "current": current, "password": new,
        "password_again": new if again is None else again})


async def test_a_coach_changes_their_own_password(site: Site, coach: httpx.AsyncClient) -> None:
    async with client_for(site.app) as elsewhere:
        await login(elsewhere, COACH[0], COACH[2])  # a second browser, signed in
        response = await change(coach, COACH[2], "a brand new passphrase")
        assert response.status_code == 303
        assert (await coach.get("/console/")).status_code == 200  # this browser stays in
        assert (await elsewhere.get("/console/")).status_code == 303  # the other is out
    async with client_for(site.app) as fresh:
        assert (await login(fresh, COACH[0], COACH[2])).status_code == 401
        assert (await login(fresh, COACH[0], "a brand new passphrase")).status_code == 303
    async with make_sessionmaker(site.engine)() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "password_changed" in actions


@pytest.mark.parametrize(("current", "new", "again", "problem"), [
    ("not my password", "a brand new passphrase", None, "current password is not right"),
    (COACH[2], "short", None, "at least 12 characters"),
    (COACH[2], "a brand new passphrase", "a different one!!", "do not match"),
])
async def test_a_refused_password_change_says_why_and_changes_nothing(
    site: Site, coach: httpx.AsyncClient, current: str, new: str, again: str | None,
    problem: str
) -> None:
    response = await change(coach, current, new, again)
    assert response.status_code == 422
    assert problem in response.text
    async with client_for(site.app) as fresh:
        assert (await login(fresh, COACH[0], COACH[2])).status_code == 303


async def test_guessing_the_current_password_is_throttled_like_sign_in(
    site: Site, coach: httpx.AsyncClient
) -> None:
    for _ in range(5):
        assert (await change(coach, "a guess", "a brand new passphrase")).status_code == 422
    refused = await change(coach, COACH[2], "a brand new passphrase")
    assert refused.status_code == 422  # waiting now, even with the right current password
    assert "wait" in refused.text


# -- idle sessions --------------------------------------------------------------------------


async def test_a_session_left_idle_ends(site: Site, admin: httpx.AsyncClient) -> None:
    idle = timedelta(minutes=site.services.settings.console.idle_minutes)
    sessions = make_sessionmaker(site.engine)
    async with sessions() as session, session.begin():
        await session.execute(update(ConsoleSession).values(
            last_seen_at=utcnow() - idle + timedelta(minutes=2)))
    assert (await admin.get("/console/")).status_code == 200  # not idle long enough
    async with sessions() as session:
        row = (await session.scalars(select(ConsoleSession))).one()
        assert utcnow() - row.last_seen_at < timedelta(minutes=1)  # the visit counted
    async with sessions() as session, session.begin():
        await session.execute(update(ConsoleSession).values(
            last_seen_at=utcnow() - idle - timedelta(seconds=1)))
    response = await admin.get("/console/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login")


async def test_a_page_view_within_a_minute_does_not_write(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await token_of(admin)
    sessions = make_sessionmaker(site.engine)
    async with sessions() as session:
        before = (await session.scalars(select(ConsoleSession.last_seen_at))).one()
    await token_of(admin)
    async with sessions() as session:
        after = (await session.scalars(select(ConsoleSession.last_seen_at))).one()
    assert after == before
