"""Working hours and holidays of a coaches' team (config.yml `handoff.teams`).

Everything is computed in the team's time zone, so summer time moves the UTC hours. A day not
listed in `hours`, or listed in `holidays`, has no coach at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.settings import DAYS, TeamSettings

SEARCH_DAYS = 60  # how far next_open looks ahead before saying "never"


class Hours:
    def __init__(self, team: TeamSettings, timezone: str) -> None:
        self.team = team
        self.zone = ZoneInfo(timezone)
        self.holidays = frozenset(team.holidays)

    def span(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing (UTC) on a local day, or None on a day off."""
        text = self.team.hours.get(DAYS[day.weekday()])
        if text is None or day in self.holidays:
            return None
        start, end = (_clock(part) for part in text.split("-"))
        opens = datetime.combine(day, start or time(0), self.zone)
        closes = (datetime.combine(day + timedelta(days=1), time(0), self.zone)
                  if end is None else datetime.combine(day, end, self.zone))
        return opens.astimezone(UTC), closes.astimezone(UTC)

    def is_open(self, at: datetime) -> bool:
        span = self.span(at.astimezone(self.zone).date())
        return span is not None and span[0] <= at < span[1]

    def next_open(self, at: datetime) -> datetime | None:
        """`at` itself when open, else the next opening time; None if none within 60 days."""
        if self.is_open(at):
            return at
        day = at.astimezone(self.zone).date()
        for offset in range(SEARCH_DAYS + 1):
            span = self.span(day + timedelta(days=offset))
            if span is not None and span[0] >= at:
                return span[0]
        return None

    def open_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes between two moments (how long a ticket waited for coaches)."""
        total = timedelta()
        day, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        while day <= last:
            span = self.span(day)
            if span is not None:
                lo, hi = max(span[0], start), min(span[1], end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)


def _clock(text: str) -> time | None:
    """"09:30" -> 09:30; "24:00" -> None (the end of the day)."""
    hour, minute = (int(x) for x in text.split(":"))
    return None if hour == 24 else time(hour, minute)


def team_named(teams: Sequence[TeamSettings], name: str) -> TeamSettings:
    """The team a ticket was given; the first team if that name is gone from the config."""
    return next((team for team in teams if team.name == name), teams[0])


def team_for(teams: Sequence[TeamSettings], region: str | None) -> TeamSettings:
    """The team covering the region; else a team covering all regions; else the first."""
    if region:
        for team in teams:
            if region in team.regions:
                return team
    for team in teams:
        if not team.regions:
            return team
    return teams[0]
