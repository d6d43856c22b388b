"""Job leads: vacancies an employer (often a staffing agency) offers to asylum seekers.

A lead is shown to people by title, employer, place, hours and the Dutch they need, never with
the employer's contact details: `contact_route` is for the coach who arranges the contact
(DESIGN.md, "Who uses it"). Leads come in through `python -m bot jobs import` (importer.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, BigId, utcnow

# The option values of the `sector` question in flows/flows/jobs.yml, in the same order. The
# sectors are where asylum seekers actually get TWVs (domain-facts.md §5.2).
SECTORS: tuple[str, ...] = ("cleaning", "production", "hospitality", "logistics", "care", "other")
# CEFR levels of Dutch an employer asks for; "none" when the work needs no Dutch.
LANGUAGE_LEVELS: tuple[str, ...] = ("none", "A1", "A2", "B1", "B2")
MAX_HOURS_PER_WEEK = 60  # the Dutch Working Hours Act's weekly maximum

TEXT_LIMITS = {"employer": 200, "title": 200, "contact_route": 500, "source": 200, "notes": 1000}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class JobLead(Base):
    """One job lead; `is_sample` leads are made-up examples and the chat says so."""

    __tablename__ = "job_leads"
    __table_args__ = (
        CheckConstraint(_one_of("sector", SECTORS), name="sector"),
        CheckConstraint(_one_of("language_level", LANGUAGE_LEVELS), name="language_level"),
        CheckConstraint(
            f"hours_min >= 1 AND hours_min <= hours_max AND hours_max <= {MAX_HOURS_PER_WEEK}",
            name="hours",
        ),
        Index("ix_job_leads_municipality_code", "municipality_code"),
        Index("ix_job_leads_valid_until", "valid_until"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    employer: Mapped[str] = mapped_column(String(TEXT_LIMITS["employer"]))
    title: Mapped[str] = mapped_column(String(TEXT_LIMITS["title"]))
    sector: Mapped[str] = mapped_column(String(16))
    municipality_code: Mapped[str] = mapped_column(String(6))  # CBS GMxxxx, checked on import
    hours_min: Mapped[int] = mapped_column(Integer)  # hours per week
    hours_max: Mapped[int] = mapped_column(Integer)
    language_level: Mapped[str] = mapped_column(String(4))
    twv_willing: Mapped[bool] = mapped_column(Boolean)  # the employer will apply for a TWV
    contact_route: Mapped[str] = mapped_column(String(TEXT_LIMITS["contact_route"]))  # coaches
    valid_until: Mapped[date] = mapped_column(Date)  # shown up to and including this day
    source: Mapped[str | None] = mapped_column(String(TEXT_LIMITS["source"]))
    notes: Mapped[str | None] = mapped_column(Text)  # for coaches; not shown to people
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<JobLead {self.id} {self.title!r} {self.municipality_code} {self.valid_until}>"

