"""How current an answer is, and what a person must be told with it.

Two things go with every sourced reply (docs/flows.md, "Honest dates"):

- the *footer*: "Information as of February 2026", the oldest `verified` month of the
  reply's sources (an answer is only as current as its least current source), whether they
  were read as saved copies or live, and whether one of them is past its `review_by` date;
- the *notices* of the rules the text depends on: a proposal (planned, or planned for a day
  that has passed while nobody confirmed it became law), a figure past its review date, a
  caveat of a version in force. Werkpad never silently applies or ignores them.

Pure functions of the content and today's date; the renderer turns them into words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.flows.model import ContentBundle, LocalText, Source

NoticeKind = Literal["planned_passed", "planned", "caveat", "figure_stale"]
# the most urgent first: what may already be law, then what may be out of date
ORDER: tuple[NoticeKind, ...] = ("planned_passed", "caveat", "figure_stale", "planned")


@dataclass(frozen=True)
class Provenance:
    as_of: date  # first of the month of the oldest verification
    copies: bool  # at least one source was read as a saved copy, not live
    review_due: bool  # at least one source is past its review date


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    rule_id: str
    day: date | None  # the planned date; for a stale figure, its review date
    text: LocalText | None  # the rule's own notice (what it means for the person)
    verified: date | None = None  # for a stale figure: when it was last verified

    @property
    def key(self) -> tuple[str, str, date | None]:
        return (self.kind, self.rule_id, self.day)


def provenance(sources: Iterable[Source], today: date) -> Provenance | None:
    """The footer facts of a reply with these sources; None when none has a date."""
    dated = [s for s in sources if s.verified is not None]
    if not dated:
        return None
    oldest = min(s.verified for s in dated if s.verified is not None)
    due = [d for d in (s.due() for s in dated) if d is not None]
    return Provenance(oldest.replace(day=1), any(s.seen != "live" for s in dated),
                      any(d < today for d in due))


def notices(bundle: ContentBundle, rule_ids: Iterable[str], today: date) -> list[Notice]:
    """What must be said with a text that depends on these rules, most urgent first."""
    found: dict[tuple[str, str, date | None], Notice] = {}
    for rule_id in dict.fromkeys(rule_ids):
        versions = bundle.rule_versions(rule_id)
        for rule in versions:
            planned = rule.planned_from()
            if planned is not None and rule.notice is not None:
                kind: NoticeKind = "planned_passed" if planned <= today else "planned"
                notice = Notice(kind, rule.id, planned, rule.notice)
                found.setdefault(notice.key, notice)
        current = [r for r in versions if r.applies_on(today)]
        if not current:
            continue
        rule = max(current, key=lambda r: r.valid_from or date.min)
        if rule.notice is not None:
            notice = Notice("caveat", rule.id, rule.valid_from, rule.notice)
            found.setdefault(notice.key, notice)
        due = rule.due()
        if rule.unit is not None and due is not None and due < today:
            notice = Notice("figure_stale", rule.id, due, None, rule.verified_on())
            found.setdefault(notice.key, notice)
    return sorted(found.values(), key=lambda n: (ORDER.index(n.kind), n.rule_id))
