"""Every console route checks sign-in and role, and every form checks its CSRF token.

The route list comes from the app itself, so a new route without an entry in ROLES fails here
until someone decides who may use it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute

from tests.web.conftest import Site, client_for, csrf_token

PUBLIC = {("GET", "/console/login"), ("POST", "/console/login"),
          ("GET", "/console/static/console.css")}
ANY_USER = {("GET", "/console/"), ("POST", "/console/logout")}
ADMIN_PREFIXES: tuple[str, ...] = ("/console/faq", "/console/flows", "/console/versions",
                                  "/console/rules")
SAMPLE = {"intent": "work_permit", "flow_id": "may_i_work", "kind": "answers",
          "key": "work_permit", "number": "1"}
# Job leads, users, audit log, dashboard: coaches may look at leads and the dashboard only.
ANY_USER |= {("GET", "/console/jobs"), ("GET", "/console/jobs/{lead_id}"),
             ("GET", "/console/dashboard")}
ADMIN_PREFIXES += ("/console/jobs", "/console/users", "/console/audit")
SAMPLE |= {"lead_id": "1", "user_id": "1"}
# NLU and unanswered questions (people's words, verbatim): admins only.
ADMIN_PREFIXES += ("/console/nlu", "/console/unanswered")
# The coach queue: coaches and admins alike (which tickets a coach may see and act on is
# checked by bot/handoff/access.py and walked per role and team in test_ticket_access.py).
ANY_USER |= {("GET", "/console/tickets"), ("GET", "/console/tickets/{ticket_id}"),
             ("GET", "/console/tickets/{ticket_id}/conversation"),
             ("POST", "/console/tickets/{ticket_id}/{action}")}
SAMPLE |= {"ticket_id": "1", "action": "note"}
# Each signed-in user's own account page and password change.
ANY_USER |= {("GET", "/console/account"), ("POST", "/console/account/password")}


@pytest.fixture(autouse=True)
async def _job_lead_1(site: Site) -> None:
    """The job lead pages need a lead to show."""
    from tests.web.test_console_jobs import add_lead

    await add_lead(site)


@pytest.fixture(autouse=True)
async def _ticket_1(site: Site) -> None:
    """The coach queue's pages need a ticket to show."""
    from bot.db.models import Person
    from bot.handoff.models import Ticket

    async with site.services.sessions() as session, session.begin():
        person = Person(channel="web", external_id="p" * 24, pseudonym="roles-test")
        session.add(person)
        await session.flush()
        session.add(Ticket(id=1, person_id=person.id, reason="other", language="en"))


def console_routes(site: Site) -> list[tuple[str, str]]:
    """(method, path) of every route under /console, included routers flattened."""
    try:  # FastAPI >= 0.160 keeps included routers as branches
        from fastapi.routing import iter_route_contexts
    except ImportError:
        routes: list[Any] = [r for r in site.app.routes if isinstance(r, APIRoute)]
    else:
        routes = list(iter_route_contexts(site.app.routes))
    found = []
    for route in routes:
        path = route.path or ""
        if path.startswith("/console"):
            found += [(method, path) for method in sorted(route.methods or ())]
    return sorted(set(found))


def url(path: str) -> str:
    filled = re.sub(r"\{(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
    return filled + "?a=1&b=1" if filled.endswith("/diff") else filled


def expected_role(method: str, path: str) -> str:
    if (method, path) in PUBLIC:
        return "public"
    if (method, path) in ANY_USER:
        return "any"
    if path.startswith(ADMIN_PREFIXES):
        return "admin"
    raise AssertionError(f"{method} {path} is not in the role table of this test")


async def test_the_role_table_covers_every_console_route(site: Site) -> None:
    routes = console_routes(site)
    assert len(routes) >= 14
    roles = {route: expected_role(*route) for route in routes}
    assert set(roles.values()) == {"public", "any", "admin"}


async def test_signed_out_visitors_are_sent_to_sign_in(
    site: Site, anon: httpx.AsyncClient
) -> None:
    for method, path in console_routes(site):
        if expected_role(method, path) == "public":
            continue
        response = await anon.request(method, url(path), data={"csrf_token": "x"})
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/console/login?next="), (method, path)


async def test_coaches_cannot_reach_admin_pages(
    site: Site, coach: httpx.AsyncClient
) -> None:
    token = csrf_token((await coach.get("/console/")).text)
    for method, path in console_routes(site):
        role = expected_role(method, path)
        if role == "public" or (method, path) == ("POST", "/console/logout"):
            continue
        response = await coach.request(method, url(path), data={"csrf_token": token})
        if role == "admin":
            assert response.status_code == 403, (method, path, response.status_code)
            assert "for admin users only" in response.text
        else:  # a form that worked answers with a redirect to its page
            ok = (200, 303) if method == "POST" else (200,)
            if path == "/console/account/password":  # reached, and the empty form refused
                ok = (422,)
            assert response.status_code in ok, (method, path, response.status_code)


async def test_admins_reach_every_page(site: Site, admin: httpx.AsyncClient) -> None:
    for method, path in console_routes(site):
        if method != "GET" or path == "/console/login":
            continue
        response = await admin.get(url(path))
        assert response.status_code == 200, (path, response.status_code, response.text[:300])


async def test_every_form_needs_the_session_csrf_token(
    site: Site, admin: httpx.AsyncClient, coach: httpx.AsyncClient
) -> None:
    coach_token = csrf_token((await coach.get("/console/")).text)
    posts = [path for method, path in console_routes(site)
             if method == "POST" and expected_role(method, path) != "public"]
    assert len(posts) >= 6
    for path in posts:
        for data in ({}, {"csrf_token": ""}, {"csrf_token": coach_token}):
            response = await admin.post(url(path), data={**data, "version": "1"})
            assert response.status_code == 403, (path, data, response.status_code)
            assert "security token" in response.text
    assert (await admin.get("/console/")).status_code == 200  # still signed in


@pytest.mark.parametrize("path", ["/console/faq", "/console/flows/may_i_work"])
async def test_pages_are_not_cached_or_framed(site: Site, path: str) -> None:
    async with client_for(site.app) as client:
        response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["cache-control"] == "no-store"
