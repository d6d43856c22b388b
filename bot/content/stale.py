"""What in the content is past its date: `python -m bot content stale` and the dashboard.

Three kinds of risk, each with the day it began, newest risk first:

- a *planned change* whose date has passed while the rule is still `proposed` (nobody marked it
  in force or withdrew it): answers that depend on it say so, but an admin must decide;
- a *rule or figure* past its `review_by` date (the minimum wage after 30 June);
- a *source* past its review date, with every answer, flow step and glossary term using it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.content.glossary import Glossary
from bot.flows.model import AskSpec, ContentBundle, Say, Source

KIND_LABELS = {"planned_change": "planned change passed, not decided",
               "rule": "rule or figure due for review", "source": "source due for review"}


@dataclass(frozen=True)
class StaleItem:
    since: date  # the day the risk began
    kind: str  # planned_change | rule | source
    what: str  # rule id, or the source's title
    detail: str
    used_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _sourced(bundle: ContentBundle, glossary: Glossary | None) -> dict[Source, list[str]]:
    """Every source and where it is used: answers, flow steps, rules, glossary terms."""
    used: dict[Source, list[str]] = {}
    for key, answer in bundle.answers.items():
        for source in answer.sources:
            used.setdefault(source, []).append(f"answer {key}")
    for flow in bundle.flows.values():
        for step in flow.steps.values():
            if isinstance(step.payload, Say | AskSpec):
                for source in getattr(step.payload, "sources", ()):
                    used.setdefault(source, []).append(f"flow {flow.id}/{step.id}")
    for rule in bundle.rules:
        for source in rule.sources:
            used.setdefault(source, []).append(f"rule {rule.id}")
    for term in glossary.terms if glossary is not None else ():
        for source in term.sources:
            used.setdefault(source, []).append(f"glossary {term.id}")
    return used


def stale_items(
    bundle: ContentBundle, today: date, glossary: Glossary | None = None
) -> list[StaleItem]:
    """Everything past its date on `today`, newest risk first."""
    items: list[StaleItem] = []
    for rule in bundle.rules:
        planned = rule.planned_from()
        if planned is not None and planned <= today:
            items.append(StaleItem(
                planned, "planned_change", rule.id,
                f"proposed from {planned.isoformat()}; still `proposed`: check whether "
                "it became law, then `rules enact` or `rules withdraw` it "
                "(answers that depend on it tell people it cannot be confirmed)"))
        due = rule.due()
        if rule.status == "in_force" and due is not None and due < today \
                and (rule.valid_to is None or rule.valid_to >= today):
            verified = rule.verified_on()
            items.append(StaleItem(
                due, "rule", rule.id,
                f"value {rule.value!r}{' ' + rule.unit if rule.unit else ''}, verified "
                f"{verified.isoformat()[:7] if verified else 'never'}, due {due.isoformat()}"))
    by_url: dict[str, tuple[Source, set[str]]] = {}
    for source, places in _sourced(bundle, glossary).items():
        source_due = source.due()
        if source_due is None or source_due >= today:
            continue
        kept, where = by_url.setdefault(source.url, (source, set()))
        where.update(places)
        if (kept.due() or date.max) > source_due:  # the earliest due version of this page
            by_url[source.url] = (source, where)
    for url, (source, where) in by_url.items():
        source_due = source.due()
        assert source_due is not None
        when = source.verified.isoformat()[:7] if source.verified else "never"
        items.append(StaleItem(
            source_due, "source", source.title or url,
            f"{url} — verified {when} ({source.seen}), due {source_due.isoformat()}",
            tuple(sorted(where))))
    return sorted(items, key=lambda i: (i.since, i.kind, i.what), reverse=True)


def format_items(items: list[StaleItem], today: date) -> str:
    """The list as plain text for the terminal."""
    if not items:
        return f"nothing is past its review or planned date on {today.isoformat()}"
    lines = [f"{len(items)} item(s) past their date on {today.isoformat()}, newest risk first:"]
    for item in items:
        lines.append(f"- since {item.since.isoformat()}  {item.label}: {item.what}")
        lines.append(f"    {item.detail}")
        if item.used_by:
            shown = ", ".join(item.used_by[:8])
            more = f" and {len(item.used_by) - 8} more" if len(item.used_by) > 8 else ""
            lines.append(f"    used by: {shown}{more}")
    return "\n".join(lines)
