"""Working hours and holidays: when a person can honestly expect a coach."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.handoff.hours import Hours, team_for
from bot.settings import TeamSettings

AMS = "Europe/Amsterdam"


def hours(**kw: object) -> Hours:
    return Hours(TeamSettings(**kw), AMS)  # type: ignore[arg-type]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_open_on_a_weekday_afternoon_in_local_time() -> None:
    h = hours()
    # Wednesday 2 Dec 2026, 13:00 in Amsterdam is 12:00 UTC (winter time, UTC+1)
    assert h.is_open(utc(2026, 12, 2, 12, 0))
    assert not h.is_open(utc(2026, 12, 2, 16, 0))  # 17:00 local: closed
    assert h.is_open(utc(2026, 12, 2, 8, 0))  # 09:00 local: open
    assert not h.is_open(utc(2026, 12, 2, 7, 59))


def test_summer_time_moves_the_utc_hours() -> None:
    h = hours()
    # Wednesday 1 July 2026: Amsterdam is UTC+2, so 09:00 local is 07:00 UTC
    assert h.is_open(utc(2026, 7, 1, 7, 0))
    assert not h.is_open(utc(2026, 7, 1, 15, 0))


def test_next_opening_skips_the_weekend_and_holidays() -> None:
    h = hours(holidays=[date(2026, 12, 28)])
    # Friday 25 Dec is not a holiday here, but after hours; Saturday and Sunday are off;
    # Monday 28 Dec is a holiday: the next opening is Tuesday 29 Dec, 09:00 local (08:00 UTC)
    opens = h.next_open(utc(2026, 12, 25, 18, 0))
    assert opens == utc(2026, 12, 29, 8, 0)


def test_next_opening_when_open_is_now() -> None:
    h = hours()
    now = utc(2026, 12, 2, 12, 0)
    assert h.next_open(now) == now


def test_a_holiday_is_closed_all_day() -> None:
    h = hours(holidays=[date(2026, 12, 2)])
    assert not h.is_open(utc(2026, 12, 2, 12, 0))
    assert h.next_open(utc(2026, 12, 2, 12, 0)) == utc(2026, 12, 3, 8, 0)


def test_a_team_with_no_hours_never_opens() -> None:
    h = hours(hours={})
    assert not h.is_open(utc(2026, 12, 2, 12, 0))
    assert h.next_open(utc(2026, 12, 2, 12, 0)) is None


def test_working_minutes_waited_count_only_open_time() -> None:
    h = hours()
    # asked Friday 16:30 local, now Monday 09:30 local: 30 + 30 working minutes
    asked, now = utc(2026, 12, 4, 15, 30), utc(2026, 12, 7, 8, 30)
    assert h.open_minutes_between(asked, now) == 60


@pytest.mark.parametrize("span", ["9-17", "17:00-09:00", "09:00-25:00", "09:60-10:00"])
def test_bad_hours_are_refused(span: str) -> None:
    with pytest.raises(ValueError):
        TeamSettings(hours={"mon": span})


def test_unknown_day_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown day"):
        TeamSettings(hours={"monday": "09:00-17:00"})


def test_team_for_prefers_the_team_covering_the_region() -> None:
    teams = [TeamSettings(name="all"), TeamSettings(name="south", regions=["Zuidoost-Brabant"])]
    assert team_for(teams, "Zuidoost-Brabant").name == "south"
    assert team_for(teams, "Groot Amsterdam").name == "all"
    assert team_for(teams, None).name == "all"
    only_south = [TeamSettings(name="south", regions=["Zuidoost-Brabant"])]
    assert team_for(only_south, "Groot Amsterdam").name == "south"  # nobody else: still them
