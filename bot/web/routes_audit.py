"""The audit log (admins only): who signed in, looked at or changed what, newest first,
filtered by actor, action and date range, 50 to a page."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from starlette.responses import Response

from bot.web.console import render
from bot.web.deps import Console, Gate, Viewer
from bot.web.models import AuditEvent

PAGE_SIZE = 50
MAX_FILTER = 254


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def build_audit_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/audit")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]

    @router.get("", name="audit_log")
    async def audit_log(
        request: Request, viewer: AdminUser, actor: str = "", action: str = "",
        since: str = "", until: str = "", page: str = "1",
    ) -> Response:
        errors: dict[str, str] = {}
        actor, action = actor.strip()[:MAX_FILTER], action.strip()[:32]
        query = select(AuditEvent)
        if actor:
            query = query.where(func.lower(AuditEvent.actor).contains(actor.lower(),
                                                                      autoescape=True))
        if action:
            query = query.where(AuditEvent.action == action)
        days: dict[str, date] = {}
        for name, raw in (("since", since), ("until", until)):
            if raw.strip():
                if (day := parse_day(raw)) is None:
                    errors[name] = f"{raw[:40]!r} is not a date; use YYYY-MM-DD"
                else:
                    days[name] = day
        if "since" in days:
            query = query.where(
                AuditEvent.at >= datetime.combine(days["since"], time(0), tzinfo=UTC))
        if "until" in days:  # the whole last day
            query = query.where(AuditEvent.at < datetime.combine(
                days["until"] + timedelta(days=1), time(0), tzinfo=UTC))
        if "since" in days and "until" in days and days["since"] > days["until"]:
            errors["until"] = "the end date is before the start date"
        number = max(1, int(page)) if page.isdecimal() and len(page) < 7 else 1
        async with console.sessions() as session:
            total = int(await session.scalar(
                select(func.count()).select_from(query.subquery())) or 0)
            events = list(await session.scalars(
                query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
            actions = list(await session.scalars(
                select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
        filters: dict[str, Any] = {"actor": actor, "action": action, "since": since[:40],
                                   "until": until[:40]}
        return render(
            console, request, "audit.html", status_code=422 if errors else 200,
            title="Audit log", events=events, total=total, page=number,
            pages=max(1, -(-total // PAGE_SIZE)), actions=actions, filters=filters,
            errors=errors,
        )

    return router
