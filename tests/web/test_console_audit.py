"""The audit log page: filters by actor, action and dates, pages of 50, escaped details."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import delete

from bot.db.session import make_sessionmaker
from bot.web.models import AuditEvent
from tests.web.conftest import Site, csrf_token

PAYLOAD = '<script>alert("x")</script>'


async def seed(site: Site, *events: dict[str, Any]) -> None:
    """Replace the log (sign-ins of the fixtures included) with `events`."""
    async with make_sessionmaker(site.engine)() as session, session.begin():
        await session.execute(delete(AuditEvent))
        for event in events:
            session.add(AuditEvent(**{"detail": {}, "target": None, **event}))


def rows(html: str) -> list[str]:
    """The actions of the table rows, top to bottom."""
    return re.findall(r'<tr data-testid="audit-row">\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*'
                      r"<td>([^<]*)</td>", html)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


async def test_filters_by_actor_action_and_dates(site: Site, admin: httpx.AsyncClient) -> None:
    await seed(
        site,
        {"actor": "ada@example.org", "action": "login", "at": at(1)},
        {"actor": "ada@example.org", "action": "jobs.edit", "at": at(10, 0)},
        {"actor": "cas@example.org", "action": "login", "at": at(10, 23)},
        {"actor": "Cas@Example.org", "action": "users.add", "at": at(20)},
        {"actor": "100%_sure@example.org", "action": "login", "at": at(21)},
    )
    everything = await admin.get("/console/audit")
    assert everything.status_code == 200
    assert rows(everything.text) == ["login", "users.add", "login", "jobs.edit", "login"]

    by_actor = await admin.get("/console/audit", params={"actor": "CAS@"})
    assert rows(by_actor.text) == ["users.add", "login"]
    literal = await admin.get("/console/audit", params={"actor": "0%_s"})
    assert rows(literal.text) == ["login"]  # % and _ are matched as typed
    by_action = await admin.get("/console/audit", params={"action": "login"})
    assert rows(by_action.text) == ["login", "login", "login"]
    assert ">users.add</option>" in by_action.text  # every action is a choice
    one_day = await admin.get("/console/audit", params={"since": "2026-11-10",
                                                        "until": "2026-11-10"})
    assert rows(one_day.text) == ["login", "jobs.edit"]  # 00:00 and 23:00 both count
    combined = await admin.get("/console/audit", params={
        "actor": "ada", "action": "login", "until": "2026-11-09"})
    assert rows(combined.text) == ["login"]
    assert "1 event;" in combined.text


async def test_bad_dates_are_shown_at_the_field(site: Site, admin: httpx.AsyncClient) -> None:
    await seed(site, {"actor": "ada@example.org", "action": "login", "at": at(1)})
    response = await admin.get("/console/audit", params={"since": "yesterday",
                                                         "page": "-3"})
    assert response.status_code == 422
    assert "is not a date" in response.text and 'aria-invalid="true"' in response.text
    assert rows(response.text) == ["login"]  # the other filters still apply
    backwards = await admin.get("/console/audit", params={"since": "2026-11-20",
                                                          "until": "2026-11-01"})
    assert backwards.status_code == 422 and "before the start date" in backwards.text


async def test_the_log_is_paged_and_the_pager_keeps_the_filters(
    site: Site, admin: httpx.AsyncClient
) -> None:
    start = at(1, 0)
    await seed(site, *({"actor": "ada@example.org", "action": "jobs.edit",
                        "target": f"job_lead/{i}", "at": start + timedelta(minutes=i)}
                       for i in range(120)),
               {"actor": "cas@example.org", "action": "login", "at": start})
    first = await admin.get("/console/audit", params={"action": "jobs.edit"})
    assert len(rows(first.text)) == 50 and "Page 1 of 3" in first.text
    assert "job_lead/119" in first.text and "job_lead/69" not in first.text
    next_link = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert next_link is not None
    url = next_link.group(1).replace("&amp;", "&")
    assert "action=jobs.edit" in url and "page=2" in url
    third = await admin.get(url.replace("page=2", "page=3"))
    assert len(rows(third.text)) == 20 and "job_lead/0<" in third.text
    beyond = await admin.get("/console/audit", params={"page": "99"})
    assert beyond.status_code == 200 and rows(beyond.text) == []


async def test_coaches_cannot_read_the_log(coach: httpx.AsyncClient) -> None:
    response = await coach.get("/console/audit")
    assert response.status_code == 403


async def test_details_are_rendered_escaped(site: Site, admin: httpx.AsyncClient) -> None:
    await seed(site, {"actor": PAYLOAD, "action": "login", "target": PAYLOAD,
                      "detail": {"changed": [PAYLOAD, "title"], PAYLOAD: PAYLOAD},
                      "at": at(3)})
    page = await admin.get("/console/audit", params={"actor": PAYLOAD})
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert page.text.count("&lt;script&gt;") >= 5
    assert "changed: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;, title" in page.text


async def test_the_console_pages_write_what_they_change(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site)
    token = csrf_token((await admin.get("/console/users")).text)
    await admin.post("/console/users", data={
        "csrf_token": token, "name": "Nour", "email": "nour@example.org", "role": "admin",
        "password": "a long enough password"})
    await admin.get("/console/users")  # looking at the list is not logged
    page = await admin.get("/console/audit")
    assert rows(page.text) == ["users.add"]
    assert "admin@example.org" in page.text and "user/nour@example.org" in page.text
