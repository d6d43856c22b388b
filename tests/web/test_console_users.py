"""Console users: add coaches and admins, change them, deactivate and reactivate, reset a
password, unlock a locked-out account; every change audited, never a password."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bot.db.models import utcnow
from bot.db.session import make_sessionmaker
from bot.web import accounts
from bot.web.models import AuditEvent, User
from tests.web.conftest import ADMIN, COACH, Site, client_for, csrf_token, login

PAYLOAD = '<script>alert("x")</script>'
NEW_PASSWORD = "a brand new long password"


async def user(site: Site, email: str) -> User:
    async with make_sessionmaker(site.engine)() as session:
        found = await accounts.find_user(session, email=email)
    assert found is not None
    return found


async def user_audit(site: Site) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with make_sessionmaker(site.engine)() as session:
        rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.target, e.detail) for e in rows if e.action.startswith("users.")]


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="error-{name}"[^>]*>([^<]*)</p>', html)
    assert match, f"no error at {name}"
    return match.group(1)


async def add(admin: httpx.AsyncClient, **fields: Any) -> httpx.Response:
    token = csrf_token((await admin.get("/console/users")).text)
    data = {"csrf_token": token, "name": "Nour Coach", "email": "nour@example.org",
            "role": "coach", "password": NEW_PASSWORD, **fields}
    return await admin.post("/console/users", data=data)


async def test_admins_list_users_and_coaches_may_not(
    site: Site, admin: httpx.AsyncClient, coach: httpx.AsyncClient
) -> None:
    page = await admin.get("/console/users")
    assert page.status_code == 200
    assert ADMIN[0] in page.text and COACH[0] in page.text
    assert "(you)" in page.text
    assert 'value="Groot Amsterdam"' in page.text and 'value="ti"' in page.text
    refused = await coach.get("/console/users")
    assert refused.status_code == 403 and ADMIN[0] not in refused.text


async def test_an_admin_adds_a_coach_with_languages_and_regions(
    site: Site, admin: httpx.AsyncClient
) -> None:
    response = await add(admin, email=" Nour@Example.org ", telegram_id="123456789",
                         languages=["ar", "nl", "ti"], regions=["Regio Zwolle", "Twente"],
                         teams=["default"])
    assert response.status_code == 303, response.text[:2000]
    added = await user(site, "nour@example.org")
    assert (added.role, added.telegram_id) == ("coach", 123456789)
    assert added.languages == "nl,ar,ti"  # in the order of settings.languages.supported
    assert added.regions == "Regio Zwolle,Twente"  # by name, as the form lists them
    assert added.teams == "default"
    page = await admin.get(response.headers["location"])
    assert "The user was added." in page.text
    [(action, target, detail)] = await user_audit(site)
    assert (action, target, detail) == ("users.add", "user/nour@example.org", {"role": "coach"})
    async with client_for(site.app) as client:  # the new coach can sign in
        signed_in = await login(client, "nour@example.org", NEW_PASSWORD)
        assert signed_in.status_code == 303


async def test_bad_fields_are_refused_at_the_field(
    site: Site, admin: httpx.AsyncClient
) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"password": "short"}, "password", "at least 12 characters"),
        ({"email": "not-an-address"}, "email", "valid e-mail address"),
        ({"email": COACH[0]}, "email", "already a user"),
        ({"name": "  "}, "name", "give a name"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"role": "root"}, "role", "choose one of admin, coach"),
        ({"telegram_id": "@nour"}, "telegram_id", "positive whole number"),
        ({"telegram_id": "-5"}, "telegram_id", "positive whole number"),
        ({"languages": ["en", "xx"]}, "languages", "unknown language code(s): xx"),
        ({"regions": ["Atlantis"]}, "regions", "unknown region(s): Atlantis"),
        ({"teams": ["default", "atlantis"]}, "teams", "unknown team(s): atlantis"),
    ]
    for fields, name, message in cases:
        response = await add(admin, **fields)
        assert response.status_code == 422, fields
        assert message in field_error(response.text, name), (fields, response.text[:500])
        assert 'value="Nour Coach"' in response.text or "name" in fields  # kept in the form
    async with make_sessionmaker(site.engine)() as session:
        emails = list(await session.scalars(select(User.email)))
    assert sorted(emails) == sorted([ADMIN[0], COACH[0]])
    assert await user_audit(site) == []


async def test_deactivate_ends_sessions_and_reactivate_lets_back_in(
    site: Site, admin: httpx.AsyncClient, coach: httpx.AsyncClient
) -> None:
    target = await user(site, COACH[0])
    token = csrf_token((await admin.get(f"/console/users/{target.id}")).text)
    assert (await coach.get("/console/")).status_code == 200
    response = await admin.post(f"/console/users/{target.id}/active",
                                data={"csrf_token": token, "active": "no"})
    assert response.status_code == 303
    assert (await user(site, COACH[0])).active is False
    assert (await coach.get("/console/")).status_code == 303  # signed out
    async with client_for(site.app) as client:
        assert (await login(client, COACH[0], COACH[2])).status_code == 401
    page = await admin.get("/console/users")
    assert "deactivated" in page.text

    back = await admin.post(f"/console/users/{target.id}/active",
                            data={"csrf_token": token, "active": "yes"})
    assert back.status_code == 303
    async with client_for(site.app) as client:
        assert (await login(client, COACH[0], COACH[2])).status_code == 303
    assert [a[0] for a in await user_audit(site)] == ["users.deactivate", "users.reactivate"]


async def test_an_admin_cannot_deactivate_or_demote_themself(
    site: Site, admin: httpx.AsyncClient
) -> None:
    me = await user(site, ADMIN[0])
    page = await admin.get(f"/console/users/{me.id}")
    assert 'data-testid="deactivate" disabled' in page.text
    token = csrf_token(page.text)
    response = await admin.post(f"/console/users/{me.id}/active",
                                data={"csrf_token": token, "active": "no"})
    assert response.status_code == 422
    assert "cannot deactivate yourself" in field_error(response.text, "active")
    demoted = await admin.post(f"/console/users/{me.id}", data={
        "csrf_token": token, "name": "Ada", "role": "coach"})
    assert demoted.status_code == 422
    assert "own role" in field_error(demoted.text, "role")
    assert (await user(site, ADMIN[0])).active is True
    assert (await user(site, ADMIN[0])).role == "admin"
    assert (await admin.get("/console/")).status_code == 200


async def test_profile_changes_are_saved_and_audited(
    site: Site, admin: httpx.AsyncClient
) -> None:
    target = await user(site, COACH[0])
    token = csrf_token((await admin.get(f"/console/users/{target.id}")).text)
    response = await admin.post(f"/console/users/{target.id}", data={
        "csrf_token": token, "name": "Cas de Coach", "role": "coach", "telegram_id": "42",
        "languages": ["fa", "ps"], "regions": ["Haaglanden"]})
    assert response.status_code == 303
    changed = await user(site, COACH[0])
    assert (changed.name, changed.telegram_id, changed.languages, changed.regions) == (
        "Cas de Coach", 42, "fa,ps", "Haaglanden")
    [(action, _target, detail)] = await user_audit(site)
    assert action == "users.update"
    assert detail == {"changed": ["languages", "name", "regions", "telegram_id"]}


async def test_reset_password_and_unlock(site: Site, admin: httpx.AsyncClient) -> None:
    target = await user(site, COACH[0])
    async with make_sessionmaker(site.engine)() as session, session.begin():
        for _ in range(5):  # five failed sign-ins make the account wait
            assert await accounts.reserve_attempt(session, user_id=target.id)
    assert accounts.is_locked(await user(site, COACH[0]))
    page = await admin.get(f"/console/users/{target.id}")
    assert "locked until" in page.text and 'data-testid="unlock"' in page.text
    token = csrf_token(page.text)
    unlocked = await admin.post(f"/console/users/{target.id}/unlock", data={"csrf_token": token})
    assert unlocked.status_code == 303
    assert not accounts.is_locked(await user(site, COACH[0]))
    async with client_for(site.app) as client:
        assert (await login(client, COACH[0], COACH[2])).status_code == 303

    differ = await admin.post(f"/console/users/{target.id}/password", data={
        "csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD + "!"})
    assert differ.status_code == 422 and "differ" in field_error(differ.text, "password")
    short = await admin.post(f"/console/users/{target.id}/password", data={
        "csrf_token": token, "password": "short", "password_again": "short"})
    assert short.status_code == 422 and "at least 12" in field_error(short.text, "password")
    reset = await admin.post(f"/console/users/{target.id}/password", data={
        "csrf_token": token, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert reset.status_code == 303
    async with client_for(site.app) as client:
        assert (await login(client, COACH[0], COACH[2])).status_code == 401
        assert (await login(client, COACH[0], NEW_PASSWORD)).status_code == 303
    events = await user_audit(site)
    assert [a[0] for a in events] == ["users.unlock", "users.password_reset"]
    assert events[0][2] == {"was_locked": True}
    assert all(NEW_PASSWORD not in str(detail) for *_, detail in events)


async def test_a_lock_that_has_run_out_is_not_shown_as_locked(
    site: Site, admin: httpx.AsyncClient
) -> None:
    async with make_sessionmaker(site.engine)() as session, session.begin():
        coach = await accounts.find_user(session, email=COACH[0])
        assert coach is not None
        coach.locked_until = utcnow() - timedelta(minutes=1)
    page = await admin.get("/console/users")
    assert "badge locked" not in page.text


async def test_unknown_users_get_a_404_page(admin: httpx.AsyncClient) -> None:
    for path in ("/console/users/999", "/console/users/abc"):
        response = await admin.get(path)
        assert response.status_code == 404 and "There is no user" in response.text
    token = csrf_token((await admin.get("/console/users")).text)
    response = await admin.post("/console/users/999/unlock", data={"csrf_token": token})
    assert response.status_code == 404


async def test_user_fields_are_rendered_escaped(site: Site, admin: httpx.AsyncClient) -> None:
    response = await add(admin, name=PAYLOAD, email='"><img src=x onerror=1>@example.org')
    assert response.status_code == 303, response.text[:1000]
    for url in ("/console/users", response.headers["location"], "/console/audit"):
        page = await admin.get(url)
        assert page.status_code == 200
        assert "<script>" not in page.text and "<img src=x" not in page.text, url
    refused = await add(admin, name=PAYLOAD, email=PAYLOAD, telegram_id=PAYLOAD)
    assert refused.status_code == 422
    assert "<script>" not in refused.text and "&lt;script&gt;" in refused.text
