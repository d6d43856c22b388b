"""A flood of coach requests cannot push real ones out of the queue (issue 15 item 4).

Through the real web app: anonymous visitors from one address stop at the address's limit of
new coach tickets. Past any limit (many addresses), every ticket stays reachable: the queue
pages, says how many there are, and shows the newest first when asked.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from bot.db.models import Person, utcnow
from bot.handoff.models import Ticket
from tests.web.conftest import Site
from tests.web.test_console_tickets import ask_in_web_chat


async def ticket_count(site: Site) -> int:
    async with site.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Ticket)) or 0)


async def test_anonymous_visitors_from_one_address_stop_at_its_limit(
        site: Site, anon: httpx.AsyncClient) -> None:
    limit = site.services.settings.chat.coach_requests_per_address_per_hour
    for n in range(limit + 5):
        last = await ask_in_web_chat(anon, visitor=f"flooding-visitor-{n:04d}")
    assert await ticket_count(site) == limit
    said = " ".join(reply["text"] for reply in last.json()["replies"])
    assert "internet connection" in said


async def add_tickets(site: Site, count: int) -> list[int]:
    """`count` waiting tickets, one a minute, the first (a real person) the oldest."""
    start = utcnow() - timedelta(hours=5)
    async with site.services.sessions() as session, session.begin():
        people = [Person(channel="web", external_id=f"flood-{n:04d}", pseudonym=f"p{n:04d}",
                         consent_at=start)
                  for n in range(count)]
        session.add_all(people)
        await session.flush()
        tickets = [Ticket(person_id=p.id, reason="person_asked", language="ar",
                          requested_at=start + timedelta(minutes=n),
                          created_at=start + timedelta(minutes=n), status="waiting")
                   for n, p in enumerate(people)]
        session.add_all(tickets)
        await session.flush()
        return [t.id for t in tickets]


def ticket_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="ticket-row-(\d+)"', html)]


async def test_every_ticket_of_a_flood_is_reachable_and_the_newest_can_come_first(
        site: Site, coach: httpx.AsyncClient) -> None:
    ids = await add_tickets(site, 120)
    real, newest = ids[0], ids[-1]
    first = await coach.get("/console/tickets")
    assert first.status_code == 200
    assert "120 waiting · 120 open · showing 1–50" in first.text
    assert ticket_ids(first.text)[0] == real  # the one who waited longest first
    assert len(ticket_ids(first.text)) == 50
    assert 'data-testid="page-next"' in first.text and "page 1 of 3" in first.text
    seen: list[int] = []
    for page in (1, 2, 3):
        listed = await coach.get(f"/console/tickets?page={page}")
        seen += ticket_ids(listed.text)
    assert sorted(seen) == sorted(ids)  # none left out, none twice
    assert "showing 101–120" in listed.text and 'data-testid="page-next"' not in listed.text
    newest_first = await coach.get("/console/tickets?order=newest")
    assert ticket_ids(newest_first.text)[:3] == [newest, ids[-2], ids[-3]]
    # odd values fall back to something sensible rather than failing
    for query in ("?page=0", "?page=999999999999", "?page=x", "?order=sideways"):
        odd = await coach.get(f"/console/tickets{query}")
        assert odd.status_code == 200, query
        assert ticket_ids(odd.text), query
