"""The coach queue in the console: a person asks in the web chat, a coach claims and replies
in the console, the person's page receives it; views are audited; escaping; CSRF."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.handoff.models import RelayMessage, Ticket
from bot.handoff.relay import Relay
from bot.web.models import AuditEvent
from tests.web.conftest import Site, client_for, csrf_token

VISITOR = "v" * 24
SCRIPT = '<script>alert("x")</script>'


async def ask_in_web_chat(client: httpx.AsyncClient, text: str | None = None, *,
                          visitor: str = VISITOR) -> httpx.Response:
    """Agree, ask for a coach and tap a reason; the answer to the tap (then `text`, if any)."""
    for body in ({"visitor": visitor, "text": "hello"},
                 {"visitor": visitor, "payload": "cmd:consent"},
                 {"visitor": visitor, "payload": "cmd:coach"},
                 {"visitor": visitor, "payload": "answer:work_permit"}):
        response = await client.post("/chat/api/message", json=body)
        assert response.status_code == 200, response.text
    if text:
        await client.post("/chat/api/message", json={"visitor": visitor, "text": text})
    return response


async def only_ticket(site: Site) -> Ticket:
    async with site.services.sessions() as session:
        return (await session.scalars(select(Ticket))).one()


async def test_claim_reply_and_the_web_chat_receives_it(site: Site, anon: httpx.AsyncClient,
                                                        coach: httpx.AsyncClient) -> None:
    await ask_in_web_chat(anon)
    ticket = await only_ticket(site)
    queue = await coach.get("/console/tickets")
    assert queue.status_code == 200
    assert f'data-testid="ticket-row-{ticket.id}"' in queue.text
    page = await coach.get(f"/console/tickets/{ticket.id}")
    assert "work_permit" in page.text and 'http-equiv="refresh"' not in page.text
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    frame = await coach.get(f"/console/tickets/{ticket.id}/conversation")
    assert 'http-equiv="refresh"' in frame.text  # the frame updates itself
    assert "frame-ancestors 'self'" in frame.headers["content-security-policy"]
    token = csrf_token(page.text)
    claimed = await coach.post(f"/console/tickets/{ticket.id}/claim",
                               data={"csrf_token": token})
    assert claimed.status_code == 303
    # the person writes; the bot stays silent, the coach sees it
    said = await anon.post("/chat/api/message",
                           json={"visitor": VISITOR, "text": "are you there?"})
    assert said.json()["replies"] == []
    sent = await coach.post(f"/console/tickets/{ticket.id}/reply",
                            data={"csrf_token": token, "text": "Yes, I am here. " + SCRIPT})
    assert sent.status_code == 303
    await Relay(site.services).run_once()
    page = await coach.get(f"/console/tickets/{ticket.id}/conversation")
    assert "are you there?" in page.text
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    # the open web chat asks for pushed messages after what it has
    polled = await anon.get("/chat/api/history", params={"visitor": VISITOR, "after": 0})
    texts = [e["text"] for e in polled.json()["events"]]
    assert any("Cas Coach" in t and "is here now" in t for t in texts)  # the claim notice
    assert any(t.startswith("Cas Coach: Yes, I am here.") for t in texts)
    last_id = polled.json()["events"][-1]["id"]
    again = await anon.get("/chat/api/history", params={"visitor": VISITOR, "after": last_id})
    assert again.json()["events"] == []
    async with site.services.sessions() as session:
        views = (await session.scalars(select(AuditEvent).where(
            AuditEvent.action == "ticket.view"))).all()
        actions = {a.action for a in (await session.scalars(select(AuditEvent))).all()}
    # the ticket page is audited each time it opens; its frame, which refreshes every few
    # seconds, only when nobody looked at this ticket for ten minutes
    assert len(views) == 1 and {"ticket.claim", "ticket.reply"} <= actions
    async with site.services.sessions() as session, session.begin():
        from sqlalchemy import delete

        await session.execute(delete(AuditEvent))
    await coach.get(f"/console/tickets/{ticket.id}/conversation")
    await coach.get(f"/console/tickets/{ticket.id}/conversation")
    async with site.services.sessions() as session:
        views = (await session.scalars(select(AuditEvent).where(
            AuditEvent.action == "ticket.view"))).all()
    assert len(views) == 1 and views[0].target == f"ticket/{ticket.id}"


async def test_a_second_coach_cannot_write_in_a_claimed_ticket(
        site: Site, anon: httpx.AsyncClient, admin: httpx.AsyncClient,
        coach: httpx.AsyncClient) -> None:
    await ask_in_web_chat(anon)
    ticket = await only_ticket(site)
    token = csrf_token((await coach.get(f"/console/tickets/{ticket.id}")).text)
    await coach.post(f"/console/tickets/{ticket.id}/claim", data={"csrf_token": token})
    # a second coach (made here) is refused with a clear message
    from bot.web import accounts

    async with site.services.sessions() as session, session.begin():
        await accounts.create_user(session, email="other@example.org", name="Other Coach",
                                   role="coach", password="another long password")
    async with client_for(site.app) as other:
        from tests.web.conftest import login

        await login(other, "other@example.org", "another long password")
        page = await other.get(f"/console/tickets/{ticket.id}")
        assert 'data-testid="reply-text"' not in page.text
        response = await other.post(f"/console/tickets/{ticket.id}/reply", data={
            "csrf_token": csrf_token(page.text), "text": "hi"}, follow_redirects=True)
        assert "belongs to Cas Coach" in response.text
    async with site.services.sessions() as session:
        coach_messages = (await session.scalars(select(RelayMessage).where(
            RelayMessage.sender == "coach"))).all()
    assert coach_messages == []


async def test_ticket_forms_need_the_csrf_token_and_a_signed_in_coach(
        site: Site, anon: httpx.AsyncClient, coach: httpx.AsyncClient) -> None:
    await ask_in_web_chat(anon)
    ticket = await only_ticket(site)
    refused = await coach.post(f"/console/tickets/{ticket.id}/claim", data={})
    assert refused.status_code in (400, 403)
    anonymous = await anon.get(f"/console/tickets/{ticket.id}")
    assert anonymous.status_code in (303, 307) or "login" in str(anonymous.url)
    assert (await only_ticket(site)).status == "waiting"


async def test_a_missing_ticket_is_a_clear_404(coach: httpx.AsyncClient) -> None:
    response = await coach.get("/console/tickets/999999")
    assert response.status_code == 404
    assert "no ticket #999999" in response.text
