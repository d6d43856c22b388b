"""Job leads for one person: near where they live, their kind of work first, never expired.

Leads are placed at their municipality's point (places.py), so the distance is from the
person's shared location, or else from their own municipality's point, to that point. The
database does the ordering: the municipalities within reach and their distances go into the
query, so only `limit` rows come back however many leads there are.

Leads whose employer will not apply for a work permit (TWV) are left out. An asylum seeker
may only work for an employer who holds a TWV for them (domain-facts.md §3); such a lead can
only disappoint, or push someone towards work without a permit, where exploitation starts.
Coaches, who can talk an employer round, can still ask for them (`include_unwilling`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.models import JobLead
from bot.jobs.places import Places

DEFAULT_RADIUS_KM = 60.0
WIDENING = (2.0, math.inf)  # then twice as far, then anywhere in the country
FAR_KM = 1e6  # sorts after every real distance (never used: the query keeps only `within`)


@dataclass(frozen=True, slots=True)
class LeadMatch:
    lead: JobLead
    distance_km: float
    sector_match: bool  # the lead is in the kind of work the person chose


def origin_of(
    places: Places, municipality_code: str | None, location: Any
) -> tuple[float, float] | None:
    """Where distances start: a valid shared location, else the municipality's point."""
    point = as_point(location)
    if point is not None:
        return point
    if municipality_code:
        try:
            m = places.get(municipality_code)
        except KeyError:
            return None
        return m.lat, m.lon
    return None


def as_point(value: Any) -> tuple[float, float] | None:
    """(lat, lon) from a stored location ([lat, lon] in the state's slots), else None."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        return None
    try:
        lat, lon = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        return None
    return lat, lon


async def match_leads(
    session: AsyncSession,
    *,
    places: Places,
    municipality_code: str | None,
    location: tuple[float, float] | None,
    sector: str | None,
    today: date,
    limit: int = 5,
    radius_km: float = DEFAULT_RADIUS_KM,
    include_unwilling: bool = False,
) -> list[LeadMatch]:
    """Up to `limit` current leads within `radius_km`, widening when there are none.

    Order: TWV-willing first (only those unless `include_unwilling`), the person's sector
    first, then nearest, then the ones valid longest. Empty without a place to start from.
    """
    origin = origin_of(places, municipality_code, location)
    if origin is None or limit <= 0:
        return []
    distances = {
        m.code: places.distance_km(origin, (m.lat, m.lon)) for m in places.municipalities()
    }
    for factor in (1.0, *WIDENING):
        reach = radius_km * factor
        within = {code: km for code, km in distances.items() if km <= reach}
        if not within:
            continue
        leads = await _nearest(
            session, within, sector=sector, today=today, limit=limit,
            include_unwilling=include_unwilling,
        )  # fmt: skip
        if leads:
            return [LeadMatch(lead, distances[lead.municipality_code], lead.sector == sector)
                    for lead in leads]
    return []


async def _nearest(
    session: AsyncSession,
    within: dict[str, float],
    *,
    sector: str | None,
    today: date,
    limit: int,
    include_unwilling: bool,
) -> list[JobLead]:
    distance = case(within, value=JobLead.municipality_code, else_=literal(FAR_KM))
    query = select(JobLead).where(
        JobLead.valid_until >= today, JobLead.municipality_code.in_(list(within))
    )
    order: list[Any] = []
    if include_unwilling:
        order.append(case((JobLead.twv_willing.is_(True), 0), else_=1))
    else:
        query = query.where(JobLead.twv_willing.is_(True))
    if sector:
        order.append(case((JobLead.sector == sector, 0), else_=1))
    order += [distance, JobLead.valid_until.desc(), JobLead.id]
    rows = await session.scalars(query.order_by(*order).limit(limit))
    return list(rows.all())
