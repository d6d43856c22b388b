"""Coaches see only what is handed to them (issue 15, item 1).

Two teams, north and south. Coach Anna is in north, coach Bram in south, Ada is an admin. A
coach sees and acts on the open tickets of their own teams and on tickets they hold or held;
another team's tickets, and closed tickets someone else handled, are "not found" to them, in
the queue, the ticket page, its conversation frame and every action. The unanswered-messages
page (people's words, verbatim) is for admins only. Walked route by route for each of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import Person, utcnow
from bot.handoff.models import RelayMessage, Ticket
from bot.settings import Settings, TeamSettings
from bot.web import accounts
from tests.web.conftest import ADMIN, Site, client_for, csrf_token, login, make_site

ANNA = ("anna@example.org", "Anna North", "north coach password")
BRAM = ("bram@example.org", "Bram South", "south coach password")

# ticket id -> (team, status, held by) ; "anna" = claimed or closed by Anna
TICKETS: dict[int, tuple[str, str, str | None]] = {
    11: ("north", "waiting", None),
    12: ("south", "waiting", None),
    13: ("north", "closed", "anna"),   # Anna handled it: she may read it back
    14: ("north", "closed", None),     # closed without Anna: not hers any more
    15: ("north", "claimed", "anna"),
    16: ("south", "claimed", "anna"),  # transferred to Anna across teams: hers
    17: ("north", "released", None),
}
SEES = {
    "anna": {11, 13, 15, 16, 17},
    "bram": {12, 16},  # 16 is his team's, open, claimed by Anna: he sees it, cannot write
    "admin": set(TICKETS),
}
OPEN_QUEUE = {  # the default queue: open tickets only
    "anna": {11, 15, 16, 17},
    "bram": {12, 16},
    "admin": {11, 12, 15, 16, 17},
}


@pytest.fixture
async def teams_site(db_engine: AsyncEngine, settings: Settings, nlu: Any,
                     places: Any) -> Site:
    settings = settings.model_copy(update={"handoff": settings.handoff.model_copy(update={
        "teams": [TeamSettings(name="north"), TeamSettings(name="south")]})})
    site = await make_site(settings, db_engine, nlu, places)
    async with site.services.sessions() as session, session.begin():
        anna = await accounts.create_user(session, email=ANNA[0], name=ANNA[1],
                                          password=ANNA[2], role="coach", teams=["north"])
        await accounts.create_user(session, email=BRAM[0], name=BRAM[1], password=BRAM[2],
                                   role="coach", teams=["south"])
        for ticket_id, (team, status, held_by) in TICKETS.items():
            person = Person(channel="web", external_id=f"{ticket_id:024d}",
                            pseudonym=f"p{ticket_id}")
            session.add(person)
            await session.flush()
            holder = anna if held_by == "anna" else None
            session.add(Ticket(
                id=ticket_id, person_id=person.id, reason="other", language="en", team=team,
                status=status, coach_id=holder.id if holder else None,
                coach_name=holder.name if holder else None,
                closed_at=utcnow() if status == "closed" else None))
            await session.flush()
            session.add(RelayMessage(ticket_id=ticket_id, person_id=person.id,
                                     sender="person", via="web", status="stored",
                                     text=f"secret words of {ticket_id}"))
    return site


@pytest.fixture(params=["anna", "bram", "admin"])
async def who(request: pytest.FixtureRequest,
              teams_site: Site) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    email, _name, password = {"anna": ANNA, "bram": BRAM, "admin": ADMIN}[request.param]
    async with client_for(teams_site.app) as client:
        response = await login(client, email, password)
        assert response.status_code == 303, response.text
        yield request.param, client


def rows(html: str) -> set[int]:
    return {t for t in TICKETS if f'data-testid="ticket-row-{t}"' in html}


async def test_the_queue_lists_only_what_each_may_see(
        who: tuple[str, httpx.AsyncClient]) -> None:
    name, client = who
    queue = await client.get("/console/tickets")
    assert queue.status_code == 200
    assert rows(queue.text) == OPEN_QUEUE[name]
    everything = await client.get("/console/tickets", params={"show": "all"})
    assert rows(everything.text) == SEES[name]


async def test_ticket_pages_and_frames_of_others_are_not_found(
        who: tuple[str, httpx.AsyncClient]) -> None:
    name, client = who
    for ticket_id in TICKETS:
        for path in (f"/console/tickets/{ticket_id}",
                     f"/console/tickets/{ticket_id}/conversation"):
            response = await client.get(path)
            if ticket_id in SEES[name]:
                assert response.status_code == 200, (name, path)
            else:
                assert response.status_code == 404, (name, path, response.status_code)
                assert f"secret words of {ticket_id}" not in response.text


async def test_notes_and_claims_on_tickets_not_handed_over_are_refused(
        teams_site: Site, who: tuple[str, httpx.AsyncClient]) -> None:
    name, client = who
    token = csrf_token((await client.get("/console/")).text)
    for ticket_id in TICKETS:
        noted = await client.post(f"/console/tickets/{ticket_id}/note",
                                  data={"csrf_token": token, "text": f"note by {name}"})
        claimed = await client.post(f"/console/tickets/{ticket_id}/claim",
                                    data={"csrf_token": token})
        if ticket_id not in SEES[name]:
            assert noted.status_code == 404, (name, ticket_id, noted.status_code)
            assert claimed.status_code == 404, (name, ticket_id, claimed.status_code)
    async with teams_site.services.sessions() as session:
        notes = {m.ticket_id for m in (await session.scalars(select(RelayMessage).where(
            RelayMessage.sender == "note", RelayMessage.text == f"note by {name}"))).all()}
        tickets = {t.id: t for t in (await session.scalars(select(Ticket))).all()}
    assert notes <= SEES[name]
    assert notes, "a coach can still note the tickets handed to them"
    for ticket_id, (_team, status, _held) in TICKETS.items():
        if ticket_id not in SEES[name]:
            assert tickets[ticket_id].status == status, (name, ticket_id)
    if name == "anna":
        assert tickets[11].status == "claimed" and tickets[11].coach_name == ANNA[1]


async def test_unanswered_messages_are_for_admins_only(
        who: tuple[str, httpx.AsyncClient]) -> None:
    name, client = who
    response = await client.get("/console/unanswered")
    assert response.status_code == (200 if name == "admin" else 403)


async def test_a_coach_without_a_team_is_in_the_first_team(
        teams_site: Site) -> None:
    """Coaches made before teams existed keep working: in the first configured team."""
    async with teams_site.services.sessions() as session, session.begin():
        await accounts.create_user(session, email="old@example.org", name="Old Coach",
                                   password="old coach password", role="coach")
    async with client_for(teams_site.app) as client:
        await login(client, "old@example.org", "old coach password")
        queue = await client.get("/console/tickets")
    assert rows(queue.text) == {11, 15, 17}
