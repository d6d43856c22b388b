"""The jobs step of a flow: the leads that match the person's answers, as chat replies.

Every text is a UI string (`jobs.*` in the catalogs) in the person's language; titles and
employer names are shown as the employer wrote them. The employer's contact details are never
shown: a coach arranges the contact, so every listing ends with the coach button.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogue.render import Rendered, Renderer
from bot.jobs.matching import DEFAULT_RADIUS_KM, LeadMatch, as_point, match_leads
from bot.jobs.models import SECTORS, JobLead
from bot.jobs.places import Places
from bot.messages import Button, OutgoingMessage

MUNICIPALITY_SLOT = "municipality"
SECTOR_SLOT = "sector"
LOCATION_SLOT = "location"  # kept across flows by the dialogue when the person shares it
DEFAULT_LIMIT = 5


def person_municipality(slots: Mapping[str, Any]) -> str | None:
    """The GM code the flow asked for (or, in a flow naming its slot otherwise, any GM code)."""
    value = slots.get(MUNICIPALITY_SLOT)
    if isinstance(value, str) and value.startswith("GM"):
        return value
    return next((v for v in slots.values() if isinstance(v, str) and v.startswith("GM")), None)


async def lead_replies(
    renderer: Renderer,
    session: AsyncSession,
    *,
    places: Places | None,
    slots: Mapping[str, Any],
    lang: str,
    today: date,
    limit: int = DEFAULT_LIMIT,
) -> list[OutgoingMessage]:
    """The leads as one message, then who arranges the contact; with none, where else to look."""
    code = person_municipality(slots)
    location = as_point(slots.get(LOCATION_SLOT))
    sector = slots.get(SECTOR_SLOT) if slots.get(SECTOR_SLOT) in SECTORS else None
    matches: list[LeadMatch] = []
    if places is not None:
        matches = await match_leads(
            session, places=places, municipality_code=code, location=location, sector=sector,
            today=today, limit=limit,
        )  # fmt: skip
    coach = Button(await renderer.ui_text("button.coach", lang), "cmd:coach")
    if places is None or not matches:
        return [await renderer.message(await renderer.ui("jobs.none", lang), lang,
                                       buttons=[coach], meta={"leads": []})]
    here = code
    if location is not None and (found := places.at(*location)) is not None:
        here = found.municipality_code
    place = _name(places, here) if here else _name(places, matches[0].lead.municipality_code)
    parts = [await renderer.ui_text("jobs.intro", lang, place=place)]
    if sector and not any(m.sector_match for m in matches):
        parts.append(await renderer.ui_text("jobs.other_sectors", lang))
    if min(m.distance_km for m in matches) > DEFAULT_RADIUS_KM:
        parts.append(await renderer.ui_text("jobs.widened", lang, km=round(DEFAULT_RADIUS_KM)))
    lines = [
        f"{number}. {await _line(renderer, places, match, here, lang)}"
        for number, match in enumerate(matches, 1)
    ]
    parts.append("\n".join(lines))
    if any(m.lead.is_sample for m in matches):
        parts.append(await renderer.ui_text("jobs.sample_note", lang))
    listing = await renderer.message(
        Rendered("\n\n".join(parts), lang), lang, meta={"leads": [m.lead.id for m in matches]}
    )
    contact = await renderer.message(await renderer.ui("jobs.coach", lang), lang,
                                     buttons=[coach])
    return [listing, contact]


async def _line(
    renderer: Renderer, places: Places, match: LeadMatch, here: str | None, lang: str
) -> str:
    lead: JobLead = match.lead
    if lead.municipality_code == here:
        distance = await renderer.ui_text("jobs.distance.here", lang)
    else:
        km = max(1, round(match.distance_km))
        distance = await renderer.ui_text("jobs.distance", lang, km=km)
    if lead.language_level == "none":
        language = await renderer.ui_text("jobs.language.none", lang)
    else:
        language = await renderer.ui_text("jobs.language.level", lang, level=lead.language_level)
    hours = (str(lead.hours_min) if lead.hours_min == lead.hours_max
             else f"{lead.hours_min}-{lead.hours_max}")
    line = await renderer.ui_text(
        "jobs.lead", lang, title=lead.title, employer=lead.employer,
        municipality=_name(places, lead.municipality_code), distance=distance, hours=hours,
        language=language,
    )  # fmt: skip
    if lead.is_sample:
        line = f"{line} {await renderer.ui_text('jobs.sample_tag', lang)}"
    return line


def _name(places: Places, code: str) -> str:
    try:
        return places.get(code).name
    except KeyError:  # a lead imported with an older place list
        return code

