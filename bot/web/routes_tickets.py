"""The coaches' queue in the console (coaches and admins): the tickets, one conversation with
its translations and notes, and claim, reply, note, hand back and close.

Pages carry no script (the console's CSP): the conversation is a frame of the ticket page that
refreshes itself every few seconds (a meta refresh), which is the "live" view; the reply box
stays outside it, so nothing typed is lost. Every opening of a ticket is audited.
"""

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import case, func, select
from starlette.responses import RedirectResponse, Response

from bot.db.models import utcnow
from bot.handoff.access import may_see, visible
from bot.handoff.coaches import Coaches, HandoffRefused, TicketNotFound
from bot.handoff.desk import coach_matches
from bot.handoff.hours import Hours, team_named
from bot.handoff.models import OPEN, RelayMessage, Ticket
from bot.web.accounts import audit
from bot.web.console import PAGE_HEADERS, render
from bot.web.deps import Console, Gate, PostedForm, Viewer, id_number
from bot.web.models import AuditEvent, User

REFRESH_SECONDS = 5
PAGE_SIZE = 50  # tickets on one page of the queue
ORDERS = ("oldest", "newest")
VIEW_AUDIT_EVERY = timedelta(minutes=10)
ACTIONS = ("claim", "reply", "note", "release", "close")


def build_ticket_router(console: Console, gate: Gate, coaches: Coaches) -> APIRouter:
    router = APIRouter(prefix="/console/tickets")
    Staff = Annotated[Viewer, Depends(gate.role("admin", "coach"))]
    StaffForm = Annotated[PostedForm, Depends(gate.form("admin", "coach"))]
    settings = console.settings

    def not_found(request: Request, ticket_id: int | str) -> Response:
        """Missing, forgotten or not handed to this coach: said alike (no enumeration)."""
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no ticket #{str(ticket_id)[:20]} that you can open "
                      "(the person may have asked to be forgotten, or it is not handed to "
                      "you).")

    async def seen(session: Any, viewer: Viewer, raw_id: str) -> Ticket | None:
        """The ticket when this viewer may see it (bot/handoff/access.py), else None."""
        ticket_id = id_number(raw_id)
        if ticket_id is None:
            return None
        me = await session.get(User, viewer.user_id)
        ticket = await session.get(Ticket, ticket_id)
        if me is None or ticket is None or not may_see(me, ticket, settings.handoff):
            return None
        return ticket

    def waited_minutes(ticket: Ticket, now: datetime) -> tuple[int, bool]:
        team = team_named(settings.handoff.teams, ticket.team)
        minutes = Hours(team, settings.timezone).open_minutes_between(ticket.requested_at, now)
        return minutes, minutes >= team.reply_minutes

    @router.get("", name="ticket_queue")
    async def queue(request: Request, viewer: Staff, show: str = "open", order: str = "oldest",
                    page: str = "1") -> Response:
        """The tickets this viewer may see, PAGE_SIZE a page: waiting ones first, then by
        the time of the request, oldest first (the default) or newest first. However many
        tickets a flood makes, every one is reachable and the count says how many there are."""
        now = utcnow()
        order = order if order in ORDERS else "oldest"
        number = id_number(page) or 1
        async with console.sessions() as session:
            me = await session.get(User, viewer.user_id)
            if me is None:
                return RedirectResponse("/console/login", status_code=303)
            where = [visible(me, settings.handoff)]
            if show != "all":
                where.append(Ticket.status.in_(OPEN))
            by_status: dict[str, int] = {status: n for status, n in (await session.execute(
                select(Ticket.status, func.count()).where(*where).group_by(Ticket.status)))}
            total = sum(by_status.values())
            pages = max(1, -(-total // PAGE_SIZE))
            number = min(number, pages)
            when = Ticket.requested_at.asc() if order == "oldest" else Ticket.requested_at.desc()
            tie = Ticket.id.asc() if order == "oldest" else Ticket.id.desc()
            rows = (await session.scalars(
                select(Ticket).where(*where)
                .order_by(case((Ticket.status == "waiting", 0), else_=1), when, tie)
                .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE))).all()
        items: list[dict[str, Any]] = []
        for ticket in rows:
            minutes, overdue = waited_minutes(ticket, now)
            items.append({"t": ticket, "minutes": minutes,
                          "overdue": overdue and ticket.status == "waiting",
                          "for_me": coach_matches(me, ticket)})
        if order == "oldest":  # what to take first on this page: overdue, then suggested
            items.sort(key=lambda i: (i["t"].status != "waiting", not i["overdue"],
                                      not i["for_me"], i["t"].requested_at))
        first = (number - 1) * PAGE_SIZE + 1 if total else 0
        return render(console, request, "tickets.html", title="Coach queue", items=items,
                      show=show, order=order, page=number, pages=pages, total=total,
                      waiting=by_status.get("waiting", 0), first=first,
                      last=first + len(items) - 1 if items else 0)

    @router.get("/{ticket_id}", name="ticket_show")
    async def show(request: Request, ticket_id: str, viewer: Staff) -> Response:
        async with console.sessions() as session, session.begin():
            ticket = await seen(session, viewer, ticket_id)
            if ticket is None:
                return not_found(request, ticket_id)
            history = (await session.scalars(select(RelayMessage).where(
                RelayMessage.ticket_id == ticket.id).order_by(RelayMessage.id))).all()
            await audit(session, actor=viewer.email, user_id=viewer.user_id,
                        action="ticket.view", target=f"ticket/{ticket.id}")
        minutes, overdue = waited_minutes(ticket, utcnow())
        mine = ticket.coach_id == viewer.user_id or viewer.is_admin
        response = render(console, request, "ticket.html", title=f"Ticket #{ticket.id}",
                          ticket=ticket, history=history, minutes=minutes, overdue=overdue,
                          mine=mine, error=request.query_params.get("error"))
        # the conversation is a frame of this page that refreshes itself (no script needed),
        # so a reply being typed here is never lost to a reload
        response.headers["Content-Security-Policy"] = (
            PAGE_HEADERS["Content-Security-Policy"] + "; frame-src 'self'")
        return response

    @router.get("/{ticket_id}/conversation", name="ticket_conversation")
    async def conversation(request: Request, ticket_id: str, viewer: Staff) -> Response:
        async with console.sessions() as session, session.begin():
            ticket = await seen(session, viewer, ticket_id)
            if ticket is None:
                return not_found(request, ticket_id)
            history = (await session.scalars(select(RelayMessage).where(
                RelayMessage.ticket_id == ticket.id).order_by(RelayMessage.id))).all()
            # audited like the ticket page, but not on every refresh of the frame
            target = f"ticket/{ticket.id}"
            recent = await session.scalar(select(AuditEvent.id).where(
                AuditEvent.user_id == viewer.user_id, AuditEvent.target == target,
                AuditEvent.action == "ticket.view",
                AuditEvent.at > utcnow() - VIEW_AUDIT_EVERY).limit(1))
            if recent is None:
                await audit(session, actor=viewer.email, user_id=viewer.user_id,
                            action="ticket.view", target=target)
        response = render(console, request, "ticket_conversation.html",
                          title=f"Ticket #{ticket.id}", ticket=ticket, history=history,
                          now=utcnow(),
                          refresh=REFRESH_SECONDS if ticket.status in OPEN else None)
        response.headers["Content-Security-Policy"] = PAGE_HEADERS[
            "Content-Security-Policy"].replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @router.post("/{ticket_id}/{action}", name="ticket_action")
    async def act(request: Request, ticket_id: str, action: str, form: StaffForm) -> Response:
        viewer = form.viewer
        number = id_number(ticket_id)
        if number is None:
            return not_found(request, ticket_id)
        if action not in ACTIONS:
            return render(console, request, "error.html", status_code=404, title="Not found",
                          message=f"There is no action {action!r}.")
        async with console.sessions() as session:
            user = await session.get(User, viewer.user_id)
        if user is None:
            return RedirectResponse("/console/login", status_code=303)
        text = form.get("text")
        try:
            if action == "claim":
                await coaches.claim(number, user, via="console")
            elif action == "reply":
                await coaches.reply(number, user, text, via="console")
            elif action == "note":
                await coaches.note(number, user, text, via="console")
            elif action == "release":
                await coaches.release(number, user, via="console")
            else:
                await coaches.close(number, user, via="console")
        except TicketNotFound:
            return not_found(request, ticket_id)
        except HandoffRefused as exc:
            from urllib.parse import quote

            return RedirectResponse(f"/console/tickets/{ticket_id}?error={quote(str(exc))}",
                                    status_code=303)
        async with console.sessions() as session, session.begin():
            await audit(session, actor=viewer.email, user_id=viewer.user_id,
                        action=f"ticket.{action}", target=f"ticket/{ticket_id}")
        return RedirectResponse(f"/console/tickets/{ticket_id}", status_code=303)

    return router
