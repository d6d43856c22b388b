"""The dashboard: every number counted in SQL (SQLite and PostgreSQL) from seeded data, shown
as an SVG chart with an accessible title and a table, and nothing that names a person."""

from __future__ import annotations

import re
import sys
import types
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db import repositories as repo
from bot.db.models import Person, UTCDateTime
from bot.db.session import make_sessionmaker
from bot.web.charts import axis_top, nice_ceiling
from tests.support.dialog import Chat
from tests.support.eligibility import TO_DATE
from tests.web.conftest import Site

SECRET_ID = "secret-chat-777"
SECRET_TEXT = "my secret message about my case"


class FakeBase(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}


class Ticket(FakeBase):
    """Stands in for bot.handoff.models.Ticket (created_at, claimed_at, status)."""

    __tablename__ = "test_handoff_tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))


def table(html: str, chart: str) -> list[tuple[str, str]]:
    """The (label, value) rows of a chart's table."""
    body = html.split(f'data-testid="table-{chart}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', body)


def noon(site: Site, days_ago: int, hour: int = 12) -> datetime:
    day = site.services.today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=UTC)


def day(site: Site, days_ago: int) -> str:
    return (site.services.today() - timedelta(days=days_ago)).isoformat()


async def seed(site: Site) -> None:
    async with make_sessionmaker(site.engine)() as session, session.begin():
        people: dict[str, Person] = {}
        for name, lang, seen in (("a", "ar", 0), ("b", "ti", 0), ("c", "ar", 1),
                                 ("d", None, 2), ("e", "fa", 40)):
            person, _ = await repo.get_or_create_person(
                session, channel="telegram", external_id=f"{SECRET_ID}-{name}")
            person.language, person.last_seen = lang, noon(site, seen)
            people[name] = person

        async def said(who: str, days_ago: int, intent: str | None, *, hour: int = 12,
                       kind: str = "text", meta: dict[str, Any] | None = None) -> None:
            await repo.add_event(session, person_id=people[who].id, direction="in",
                                 kind=kind, text=SECRET_TEXT, intent=intent, meta=meta,
                                 at=noon(site, days_ago, hour))

        async def told(step: str, days_ago: int) -> None:
            await repo.add_event(session, person_id=people["a"].id, direction="out",
                                 kind="text", text=SECRET_TEXT, flow_id="may_i_work",
                                 step_id=step, at=noon(site, days_ago))

        await said("a", 0, "work_permit/how_long")
        await said("a", 0, "work_permit")
        await said("b", 0, "greet")
        await said("a", 1, "documents/bsn", meta={"fallback": 1})
        await said("c", 1, "documents")
        await said("c", 1, None, kind="button")
        await said("b", 5, "out_of_scope", hour=23, meta={"fallback": 2})
        await said("e", 40, "greet")
        for step, days_ago in (("verdict_allowed", 0), ("verdict_allowed", 3),
                               ("verdict_not_yet", 2), ("ask_date", 2),
                               ("verdict_allowed", 40), ("verdict_dublin", 1)):
            await told(step, days_ago)


async def test_numbers_are_counted_from_the_events(
    site: Site, admin: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "bot.handoff.models", None)  # the handoff work not here
    await seed(site)
    page = await admin.get("/console/dashboard")
    assert page.status_code == 200
    html = page.text

    per_day = dict(table(html, "conversations"))
    assert len(per_day) == 30
    assert (per_day[day(site, 0)], per_day[day(site, 1)], per_day[day(site, 5)]) == (
        "2", "2", "1")
    assert sum(int(v) for v in per_day.values()) == 5
    assert table(html, "languages") == [("ar", "2"), ("ti", "1"), ("not known yet", "1")]
    assert table(html, "intents") == [("documents", "2"), ("work_permit", "2"),
                                      ("greet", "1"), ("out_of_scope", "1")]
    rate = dict(table(html, "fallback"))
    assert (rate[day(site, 0)], rate[day(site, 1)], rate[day(site, 5)]) == ("0%", "50%", "100%")
    assert rate[day(site, 2)] == "no data"
    assert "2 of 6 typed messages were not understood (33%)" in html
    assert table(html, "eligibility")[:8] == [  # every verdict has a row, in flow order
        ("May work now", "2"), ("Residence permit: no TWV needed", "0"),
        ("Temporary protection (Ukraine)", "0"), ("Not yet", "1"), ("Needs a W-document", "0"),
        ("Finally rejected", "0"), ("Appeal without stay", "0"), ("Dublin", "1")]
    assert 'data-testid="no-handoff">No handoff data yet.' in html
    # pseudonymised: counts only
    assert SECRET_ID not in html and SECRET_TEXT not in html


async def test_each_chart_is_an_svg_with_a_title_and_a_table(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site)
    html = (await admin.get("/console/dashboard")).text
    for chart in ("conversations", "languages", "intents", "fallback", "eligibility"):
        figure = html.split(f'data-testid="chart-{chart}"', 1)[1].split("</figure>", 1)[0]
        assert f'aria-labelledby="{chart}-svg-title {chart}-desc"' in figure
        assert re.search(rf'<title id="{chart}-svg-title">[^<]+</title>', figure)
        assert re.search(rf'<desc id="{chart}-desc">[^<]+</desc>', figure)
        assert "<rect" in figure or "<polyline" in figure
        assert "<caption>" in figure
    assert "<script" not in html
    assert "5 conversations in the last 30 days" in html
    columns = html.split('data-testid="chart-conversations"', 1)[1].split("</svg>", 1)[0]
    assert columns.count('<rect class="bar"') == 30


async def test_an_empty_database_shows_empty_charts(
    admin: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "bot.handoff.models", None)
    page = await admin.get("/console/dashboard")
    assert page.status_code == 200
    assert "No conversations in the last 30 days." in page.text
    assert 'data-testid="chart-fallback-empty"' in page.text


async def test_handoff_waiting_times_when_the_tickets_exist(
    site: Site, admin: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with site.engine.begin() as conn:
        await conn.run_sync(FakeBase.metadata.create_all)
    start = noon(site, 1)
    async with make_sessionmaker(site.engine)() as session, session.begin():
        for waited, status in ((timedelta(minutes=3), "claimed"),
                               (timedelta(minutes=10), "closed"),
                               (timedelta(hours=2), "claimed"), (None, "waiting"),
                               (None, "closed")):  # the person left before a coach came
            session.add(Ticket(created_at=start, status=status,
                               claimed_at=start + waited if waited else None))
        session.add(Ticket(created_at=noon(site, 40), claimed_at=noon(site, 40),
                           status="closed"))
    module = types.ModuleType("bot.handoff.models")
    module.Ticket = Ticket  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bot.handoff.models", module)

    html = (await admin.get("/console/dashboard")).text
    assert table(html, "handoff") == [
        ("under 5 minutes", "1"), ("5 to 15 minutes", "1"), ("15 to 60 minutes", "0"),
        ("1 to 4 hours", "1"), ("4 to 24 hours", "0"), ("more than a day", "0")]
    assert "Average wait 44.3 minutes; longest 120.0 minutes; 1 still waiting" in html
    assert "No handoff data yet" not in html


async def test_handoff_waiting_times_from_the_real_tickets_table(
    site: Site, admin: httpx.AsyncClient
) -> None:
    models = pytest.importorskip("bot.handoff.models")
    start = noon(site, 2)
    async with make_sessionmaker(site.engine)() as session, session.begin():
        for i, (waited, status) in enumerate(((timedelta(minutes=20), "closed"),
                                              (None, "waiting"))):
            person, _ = await repo.get_or_create_person(
                session, channel="web", external_id=f"{SECRET_ID}-{i}")
            session.add(models.Ticket(
                person_id=person.id, reason="person_asked", language="ar", status=status,
                created_at=start, claimed_at=start + waited if waited else None))
    html = (await admin.get("/console/dashboard")).text
    assert ("15 to 60 minutes", "1") in table(html, "handoff")
    assert "Average wait 20.0 minutes; longest 20.0 minutes; 1 still waiting" in html
    assert SECRET_ID not in html


async def test_a_finished_eligibility_check_is_counted(
    site: Site, admin: httpx.AsyncClient
) -> None:
    chat = Chat(site.dialogue, user="web-visitor-1")
    await chat.agree()
    await chat.payload("flow:may_i_work")
    chat.expect("where is your asylum case now?")
    for answer in TO_DATE:
        await chat.press(answer)
    await chat.say("01-01-2020")
    await chat.press("answer:yes")
    chat.expect("Good news")
    html = (await admin.get("/console/dashboard")).text
    assert ("May work now", "1") in table(html, "eligibility")
    assert "01-01-2020" not in html


async def test_coaches_see_the_dashboard_and_visitors_sign_in_first(
    coach: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    page = await coach.get("/console/dashboard")
    assert page.status_code == 200 and "Conversations per day" in page.text
    assert "/console/users" not in page.text  # no admin links in a coach's menu
    assert (await anon.get("/console/dashboard")).status_code == 303


def test_axis_tops_are_round_numbers() -> None:
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 11, 24, 101, 0.4)] == [
        1, 1, 5, 10, 20, 25, 200, 0.5]
    # counts get whole steps: 0, 1, 2, 3, 4 and never 0, 0.25, ...
    assert [axis_top(v, whole_steps=True) for v in (0, 1, 4, 5, 9, 30, 1234)] == [
        4, 4, 4, 8, 12, 40, 2000]
    assert axis_top(0.6, whole_steps=False) == pytest.approx(0.8)


def test_the_window_is_thirty_utc_days_ending_today() -> None:
    from bot.web.routes_dashboard import Window

    window = Window.ending(date(2026, 3, 2))
    assert window.days[0] == "2026-02-01" and window.days[-1] == "2026-03-02"
    assert window.start == datetime(2026, 2, 1, tzinfo=UTC)


async def test_the_dashboard_lists_content_past_its_date(
    site: Site, admin: httpx.AsyncClient
) -> None:
    html = (await admin.get("/console/dashboard")).text
    assert 'data-testid="stale"' in html
    assert site.services.today() > date(2026, 6, 30)  # the real clock: both dates have passed
    # the minimum wage of 1 January was due on 30 June 2026; the planned change of 12 June
    # 2026 is still undecided
    assert 'data-testid="stale-rule"' in html and "minimum_wage_hour" in html
    assert 'data-testid="stale-planned_change"' in html and "work_wait_months" in html
