"""Dashboard (admin and coach, read-only): how Werkpad is used over the last 30 days.

Every number is counted in SQL (SQLite and PostgreSQL alike) from the event log, the people
table and, once it exists, the handoff tickets. Only counts leave the database: no external
ids, no pseudonyms, no message text. Days are UTC days.
"""

import importlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import String, case, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Float
from starlette.responses import Response

from bot.content.stale import StaleItem, stale_items
from bot.db.models import Event, Person
from bot.web.charts import Chart, bar_chart, column_chart, line_chart, whole
from bot.web.console import render
from bot.web.deps import Console, Gate, Viewer

logger = logging.getLogger(__name__)
DAYS = 30
TOP_INTENTS = 10
# The may_i_work steps that tell the person the outcome (flows/flows/may_i_work.yml).
OUTCOMES = {  # the verdict steps of flows/flows/may_i_work.yml (docs/eligibility.md)
    "verdict_allowed": "May work now",
    "verdict_status": "Residence permit: no TWV needed",
    "verdict_tpd": "Temporary protection (Ukraine)",
    "verdict_not_yet": "Not yet",
    "verdict_needs_w_document": "Needs a W-document",
    "verdict_rejected": "Finally rejected",
    "verdict_appeal_no_stay": "Appeal without stay",
    "verdict_dublin": "Dublin",
    "verdict_protected_elsewhere": "Protection in another EU country",
    "verdict_safe_country": "Safe country of origin",
    "verdict_minor": "16 or 17",
    "verdict_under_16": "Under 16",
    "verdict_no_reception": "No COA reception",
    "verdict_nidos": "Nidos",
    "verdict_track_dependent": "Depends on the procedure (rules enacted)",
    "verdict_situation_unknown": "Did not know: the case",
    "verdict_appeal_unknown": "Did not know: stay during appeal",
    "verdict_age_unknown": "Did not know: age",
    "verdict_dublin_unknown": "Did not know: Dublin",
    "verdict_safe_country_unknown": "Did not know: safe country",
    "verdict_reception_unknown": "Did not know: reception",
    "verdict_date_unknown": "Did not know: the date",
}
WAIT_BUCKETS = ((5 * 60, "under 5 minutes"), (15 * 60, "5 to 15 minutes"),
                (60 * 60, "15 to 60 minutes"), (4 * 3600, "1 to 4 hours"),
                (24 * 3600, "4 to 24 hours"))
OVER_A_DAY = "more than a day"
STILL_WAITING = ("waiting", "released")  # bot/handoff/models.py: open, no coach


class utc_day(FunctionElement[str]):
    """The UTC day of a timestamp as 'YYYY-MM-DD', on SQLite and PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # stored as UTC text


@compiles(utc_day, "postgresql")
def _utc_day_pg(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"to_char(({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


class base_intent(FunctionElement[str]):
    """`documents/bsn` -> `documents`: the intent's base name, which is what counts."""

    type = String()
    inherit_cache = True


@compiles(base_intent, "sqlite")
def _base_intent_sqlite(element: base_intent, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return (f"CASE WHEN instr({arg}, '/') > 0 THEN substr({arg}, 1, instr({arg}, '/') - 1) "
            f"ELSE {arg} END")


@compiles(base_intent, "postgresql")
def _base_intent_pg(element: base_intent, compiler: SQLCompiler, **kw: Any) -> str:
    return f"split_part({compiler.process(element.clauses, **kw)}, '/', 1)"


class seconds_between(FunctionElement[float]):
    """seconds_between(start, end): end - start in seconds."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@dataclass
class Window:
    days: list[str]  # 'YYYY-MM-DD', oldest first
    start: datetime  # the first day's midnight, UTC

    @classmethod
    def ending(cls, today: date, days: int = DAYS) -> "Window":
        first = today - timedelta(days=days - 1)
        return cls([(first + timedelta(days=i)).isoformat() for i in range(days)],
                   datetime.combine(first, time(0), tzinfo=UTC))


def day_label(day: str) -> str:
    return date.fromisoformat(day).strftime("%d %b")


def percent(value: float) -> str:
    return f"{value:.0f}%"


async def conversations_per_day(session: AsyncSession, w: Window) -> list[tuple[str, float]]:
    """People who wrote at least once that day (a person-day is one conversation)."""
    day = utc_day(Event.at)
    rows = await session.execute(
        select(day, func.count(distinct(Event.person_id)))
        .where(Event.direction == "in", Event.at >= w.start).group_by(day))
    counts = {d: int(n) for d, n in rows.all()}
    return [(d, counts.get(d, 0)) for d in w.days]


async def languages(session: AsyncSession, w: Window) -> list[tuple[str, float]]:
    """People seen in the window by their conversation language."""
    rows = await session.execute(
        select(Person.language, func.count(Person.id)).where(Person.last_seen >= w.start)
        .group_by(Person.language)
        .order_by(func.count(Person.id).desc(), Person.language.is_(None), Person.language))
    return [(code or "not known yet", int(n)) for code, n in rows.all()]


async def top_intents(session: AsyncSession, w: Window) -> list[tuple[str, float]]:
    base = base_intent(Event.intent)
    count = func.count(Event.id)
    rows = await session.execute(
        select(base, count).where(Event.direction == "in", Event.intent.is_not(None),
                                  Event.at >= w.start)
        .group_by(base).order_by(count.desc(), base).limit(TOP_INTENTS))
    return [(name, int(n)) for name, n in rows.all()]


async def fallback_rate(
    session: AsyncSession, w: Window
) -> tuple[list[tuple[str, float | None]], int, int]:
    """Per day, the share of typed messages the bot did not understand (policy fallback)."""
    day = utc_day(Event.at)
    missed = func.sum(case((Event.meta["fallback"].as_string().is_not(None), 1), else_=0))
    rows = await session.execute(
        select(day, func.count(Event.id), missed)
        .where(Event.direction == "in", Event.kind == "text", Event.at >= w.start)
        .group_by(day))
    found = {d: (int(n), int(m or 0)) for d, n, m in rows.all()}
    series: list[tuple[str, float | None]] = [
        (d, 100.0 * found[d][1] / found[d][0] if found.get(d, (0, 0))[0] else None)
        for d in w.days
    ]
    return series, sum(n for n, _ in found.values()), sum(m for _, m in found.values())


async def eligibility(session: AsyncSession, w: Window) -> list[tuple[str, float]]:
    """How often the may-I-work check ended in each outcome (the step that told it)."""
    rows = await session.execute(
        select(Event.step_id, func.count(Event.id))
        .where(Event.direction == "out", Event.flow_id == "may_i_work",
               Event.step_id.in_(list(OUTCOMES)), Event.at >= w.start)
        .group_by(Event.step_id))
    counts = {step: int(n) for step, n in rows.all()}
    return [(label, counts.get(step, 0)) for step, label in OUTCOMES.items()]


def ticket_model() -> Any | None:
    """The handoff Ticket model, if the handoff work has landed; else None."""
    try:
        module = importlib.import_module("bot.handoff.models")
    except ImportError:
        return None
    return getattr(module, "Ticket", None)


async def waiting_times(session: AsyncSession, w: Window, ticket: Any) -> dict[str, Any]:
    """Claimed tickets by how long they waited, plus those still waiting; all in SQL."""
    wait = seconds_between(ticket.created_at, ticket.claimed_at)
    bucket = case(*((wait < limit, label) for limit, label in WAIT_BUCKETS), else_=OVER_A_DAY)
    claimed = (ticket.claimed_at.is_not(None), ticket.created_at >= w.start)
    # grouped in an outer query: PostgreSQL does not match a GROUP BY expression whose bound
    # parameters (the limits and labels) are numbered apart from the SELECT's
    waited = select(bucket.label("bucket")).where(*claimed).subquery()
    rows = await session.execute(
        select(waited.c.bucket, func.count()).group_by(waited.c.bucket))
    counts = {label: int(n) for label, n in rows.all()}
    average, longest = (await session.execute(
        select(func.avg(wait), func.max(wait)).where(*claimed))).one()
    unclaimed = await session.scalar(  # open and held by no coach (released ones too)
        select(func.count()).select_from(ticket).where(ticket.status.in_(STILL_WAITING),
                                                       ticket.created_at >= w.start))
    labels = [label for _, label in WAIT_BUCKETS] + [OVER_A_DAY]
    return {"buckets": [(label, counts.get(label, 0)) for label in labels],
            "average": average, "longest": longest, "unclaimed": int(unclaimed or 0)}


def minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{float(seconds) / 60:.1f} minutes"


async def build_charts(console: Console, w: Window) -> dict[str, Any]:
    async with console.sessions() as session:
        per_day = await conversations_per_day(session, w)
        langs = await languages(session, w)
        intents = await top_intents(session, w)
        rate, typed, missed = await fallback_rate(session, w)
        outcomes = await eligibility(session, w)
    total = sum(n for _, n in per_day)
    busiest = max(per_day, key=lambda item: item[1])
    charts: list[Chart] = [
        column_chart(
            "conversations", "Conversations per day", per_day, headers=("Day (UTC)", "People"),
            axis_label=day_label, summary=(
                f"{whole(total)} conversation{'' if total == 1 else 's'} in the last {DAYS} "
                f"days; the busiest day was {busiest[0]} with {whole(busiest[1])}." if total else
                f"No conversations in the last {DAYS} days.")),
        bar_chart("languages", "Languages", langs, headers=("Language", "People"), summary=(
            "People seen in the last 30 days by conversation language: " + ", ".join(
                f"{code} {whole(n)}" for code, n in langs) if langs else "No people yet.")),
        bar_chart("intents", "Top intents", intents, headers=("Intent", "Messages"), summary=(
            "Most asked topics: " + ", ".join(f"{name} {whole(n)}" for name, n in intents)
            if intents else "No recognised messages yet.")),
        line_chart(
            "fallback", "Fallback rate per day", rate, headers=("Day (UTC)", "Not understood"),
            top=100.0, axis_label=day_label, fmt=percent, summary=(
                f"{whole(missed)} of {whole(typed)} typed messages were not understood "
                f"({percent(100.0 * missed / typed)}) in the last {DAYS} days." if typed else
                "No typed messages yet.")),
        bar_chart("eligibility", "Eligibility check outcomes", outcomes,
                  headers=("Outcome", "Times shown"), summary="How the may-I-work check ended: "
                  + ", ".join(f"{label} {whole(n)}" for label, n in outcomes)),
    ]
    return {"charts": charts, "handoff": await handoff_chart(console, w)}


async def handoff_chart(console: Console, w: Window) -> dict[str, Any] | None:
    ticket = ticket_model()
    if ticket is None:
        return None
    try:
        async with console.sessions() as session:
            waits = await waiting_times(session, w, ticket)
    except SQLAlchemyError:  # e.g. the module landed but its migration has not run yet
        logger.exception("reading the handoff tickets failed")
        return None
    chart = bar_chart(
        "handoff", "Handoff waiting times", waits["buckets"],
        headers=("Waited before a coach claimed it", "Conversations"),
        summary=(f"Average wait {minutes(waits['average'])}, longest "
                 f"{minutes(waits['longest'])}; {waits['unclaimed']} still waiting."))
    return {"chart": chart, **waits, "average_text": minutes(waits["average"]),
            "longest_text": minutes(waits["longest"])}


def stale_content(console: Console) -> list[StaleItem] | None:
    """What in the running content is past its review or planned date (bot/content/stale.py);
    None when the console runs without the bot's content."""
    if console.content is None:
        return None
    return stale_items(console.content.bundle, console.today(), console.content.glossary)


def build_dashboard_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/dashboard")
    Staff = Annotated[Viewer, Depends(gate.role("admin", "coach"))]

    @router.get("", name="dashboard")
    async def dashboard(request: Request, viewer: Staff) -> Response:
        window = Window.ending(console.today())
        found = await build_charts(console, window)
        return render(console, request, "dashboard.html", title="Dashboard", days=DAYS,
                      first_day=window.days[0], last_day=window.days[-1],
                      stale=stale_content(console), today=console.today(), **found)

    return router
