"""Matching leads to a person: never expired, their sector first, nearest first, from their
shared location when there is one; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import make_sessionmaker
from bot.jobs import leads as repo
from bot.jobs.matching import LeadMatch, as_point, match_leads
from bot.jobs.places import Places

TODAY = date(2026, 11, 28)
CRANENDONCK, WEERT, EINDHOVEN, HEEZE = "GM1706", "GM0988", "GM0772", "GM1658"
AMSTERDAM, GRONINGEN, ZWOLLE = "GM0363", "GM0014", "GM0193"
BUDEL = (51.2717, 5.5750)  # the village of Budel, in Cranendonck


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


def lead(title: str, code: str, **changes: Any) -> dict[str, Any]:
    return {
        "employer": f"{title} BV", "title": title, "sector": "cleaning",
        "municipality_code": code, "hours_min": 16, "hours_max": 24, "language_level": "none",
        "twv_willing": True, "contact_route": "via the coach team",
        "valid_until": TODAY + timedelta(days=90), "source": None, "notes": None,
        "is_sample": False, **changes,
    }  # fmt: skip


async def add(engine: AsyncEngine, *leads: dict[str, Any]) -> None:
    async with make_sessionmaker(engine)() as session, session.begin():
        await repo.add_leads(session, leads=list(leads))


async def match(engine: AsyncEngine, places: Places, **person: Any) -> list[LeadMatch]:
    options: dict[str, Any] = {"municipality_code": CRANENDONCK, "location": None,
                               "sector": None, "today": TODAY, **person}
    async with make_sessionmaker(engine)() as session:
        return await match_leads(session, places=places, **options)


def titles(matches: list[LeadMatch]) -> list[str]:
    return [m.lead.title for m in matches]


async def test_expired_leads_are_never_shown(db_engine: AsyncEngine, places: Places) -> None:
    await add(
        db_engine,
        lead("ended yesterday", CRANENDONCK, valid_until=TODAY - timedelta(days=1)),
        lead("last day today", CRANENDONCK, valid_until=TODAY),
        lead("ended long ago", WEERT, valid_until=date(2025, 1, 1)),
    )
    assert titles(await match(db_engine, places)) == ["last day today"]
    later = await match(db_engine, places, today=TODAY + timedelta(days=1))
    assert later == []  # and widening to the whole country does not bring them back


async def test_nearest_first_within_60_km(db_engine: AsyncEngine, places: Places) -> None:
    await add(
        db_engine, lead("amsterdam", AMSTERDAM), lead("eindhoven", EINDHOVEN),
        lead("weert", WEERT), lead("budel", CRANENDONCK), lead("heeze", HEEZE),
    )
    found = await match(db_engine, places)
    assert titles(found) == ["budel", "heeze", "weert", "eindhoven"]  # not Amsterdam, 150 km
    distances = [m.distance_km for m in found]
    assert distances == sorted(distances) and distances[0] == 0.0
    assert 15 < found[-1].distance_km < 25  # Cranendonck to Eindhoven, point to point


async def test_the_persons_sector_comes_first_then_the_others(
    db_engine: AsyncEngine, places: Places
) -> None:
    await add(
        db_engine, lead("cleaning far", EINDHOVEN), lead("production near", CRANENDONCK,
                                                         sector="production"),
        lead("cleaning near", WEERT),
    )
    found = await match(db_engine, places, sector="cleaning")
    assert titles(found) == ["cleaning near", "cleaning far", "production near"]
    assert [m.sector_match for m in found] == [True, True, False]
    nobody_cleans = await match(db_engine, places, sector="care")
    assert titles(nobody_cleans) == ["production near", "cleaning near", "cleaning far"]


async def test_a_shared_location_wins_over_the_municipality(
    db_engine: AsyncEngine, places: Places
) -> None:
    await add(db_engine, lead("zwolle", ZWOLLE), lead("budel", CRANENDONCK))
    from_town = await match(db_engine, places, municipality_code=ZWOLLE)
    from_here = await match(db_engine, places, municipality_code=ZWOLLE, location=BUDEL)
    assert titles(from_town)[0] == "zwolle"
    assert titles(from_here) == ["budel"]
    assert 0 < from_here[0].distance_km < 5  # the village is a few km from the point


async def test_nothing_near_widens_the_search(db_engine: AsyncEngine, places: Places) -> None:
    await add(db_engine, lead("groningen", GRONINGEN), lead("amsterdam", AMSTERDAM))
    found = await match(db_engine, places)
    assert titles(found) == ["amsterdam", "groningen"]  # all beyond 120 km: the whole country
    assert all(m.distance_km > 60 for m in found)


async def test_leads_without_a_twv_are_left_out(db_engine: AsyncEngine, places: Places) -> None:
    await add(db_engine, lead("no permit", CRANENDONCK, twv_willing=False),
              lead("permit", EINDHOVEN))
    assert titles(await match(db_engine, places)) == ["permit"]
    async with make_sessionmaker(db_engine)() as session:
        for_coach = await match_leads(
            session, places=places, municipality_code=CRANENDONCK, location=None, sector=None,
            today=TODAY, include_unwilling=True,
        )
    assert titles(for_coach) == ["permit", "no permit"]  # and then last


async def test_at_most_limit_leads_and_none_without_a_place(
    db_engine: AsyncEngine, places: Places
) -> None:
    await add(db_engine, *(lead(f"job {i}", WEERT) for i in range(8)))
    assert len(await match(db_engine, places)) == 5
    assert len(await match(db_engine, places, limit=2)) == 2
    assert await match(db_engine, places, municipality_code=None) == []
    assert await match(db_engine, places, municipality_code="GM9999") == []
    assert len(await match(db_engine, places, municipality_code=None, location=BUDEL)) == 5


def test_a_stored_location_is_read_carefully() -> None:
    assert as_point([51.27, 5.57]) == (51.27, 5.57)
    assert as_point((51, 5)) == (51.0, 5.0)
    for bad in (None, "51,5", [51], [91, 5], ["a", "b"], [float("nan"), 5], {"lat": 51}):
        assert as_point(bad) is None
