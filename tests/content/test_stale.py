"""Honest dates: the footer of a reply, the notices of the rules a text depends on, and the
list of everything past its review or planned date (`content stale`, the dashboard)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.content.glossary import glossary_of
from bot.content.provenance import notices, provenance
from bot.content.stale import format_items, stale_items
from bot.content.store import load_directory, read_directory
from bot.flows.model import ContentBundle, LocalText, Rule, Source
from bot.settings import ROOT
from tests.support.eligibility import enacted_rules

TODAY = date(2026, 12, 6)
MEANING = LocalText({"en": "the wait would be shorter.", "nl": "de wachttijd zou korter zijn."})


def test_the_footer_is_the_oldest_verification_and_says_how_it_was_read() -> None:
    research = Source("https://uwv.nl/a", verified=date(2026, 2, 1))
    today = Source("https://x.nl/b", verified=date(2026, 12, 6), seen="live")
    found = provenance([today, research], TODAY)
    assert found is not None and found.as_of == date(2026, 2, 1)
    assert found.copies and not found.review_due  # due a year later: 28 Feb 2027
    live = provenance([today], TODAY)
    assert live is not None and not live.copies and live.as_of == date(2026, 12, 1)
    due = Source("https://uwv.nl/a", verified=date(2026, 2, 1), review_by=date(2026, 6, 12))
    late = provenance([due], TODAY)
    assert late is not None and late.review_due
    assert provenance([Source("https://no.date")], TODAY) is None


def rules(*extra: Rule) -> ContentBundle:
    wait = Rule("wait", 6, "in_force", "months", verified=date(2026, 2, 1))
    proposal = Rule("wait", 3, "proposed", "months", date(2026, 6, 12), notice=MEANING,
                    verified=date(2026, 2, 1))
    return ContentBundle(rules=(wait, proposal, *extra))


def test_a_proposal_is_planned_before_its_date_and_unconfirmed_after_it() -> None:
    [before] = notices(rules(), ["wait"], date(2026, 3, 1))
    assert (before.kind, before.day, before.text) == ("planned", date(2026, 6, 12), MEANING)
    [after] = notices(rules(), ["wait"], TODAY)
    assert after.kind == "planned_passed"
    assert notices(rules(), ["other"], TODAY) == []


def test_a_figure_past_its_review_date_says_it_may_be_out_of_date() -> None:
    wage = Rule("wage", 14.71, "in_force", "euro per hour", date(2026, 1, 1),
                verified=date(2026, 2, 1), review_by=date(2026, 6, 30))
    assert notices(rules(wage), ["wage"], date(2026, 6, 30)) == []
    [late] = notices(rules(wage), ["wage"], date(2026, 7, 1))
    assert (late.kind, late.day, late.verified) == ("figure_stale", date(2026, 6, 30),
                                                   date(2026, 2, 1))


def test_the_real_content_lists_what_is_past_its_date_newest_first() -> None:
    bundle, issues = load_directory(ROOT / "flows")
    assert not issues
    items = stale_items(bundle, TODAY)
    found = [(i.kind, i.what) for i in items]
    assert ("rule", "minimum_wage_hour") in found  # due 30 June 2026: the 1 July change
    assert ("planned_change", "work_wait_months") in found
    assert ("planned_change", "no_work_low_chance_proposed") in found
    uwv = next(i for i in items if i.kind == "source" and i.what.startswith("UWV – Werk"))
    assert "answer work_permit/cost_conditions" in uwv.used_by
    files = read_directory(ROOT / "flows")
    glossary, _ = glossary_of({f.path: t for f, t in files.items()}, bundle.answers, ["en"])
    with_terms = stale_items(bundle, TODAY, glossary)
    uwv = next(i for i in with_terms if i.kind == "source" and i.what.startswith("UWV – Werk"))
    assert "glossary twv" in uwv.used_by
    assert [i.since for i in items] == sorted((i.since for i in items), reverse=True)
    assert items[0].since == date(2026, 6, 30)
    assert "newest risk first" in format_items(items, TODAY)
    # before any date had passed there was nothing to say
    assert stale_items(bundle, date(2026, 3, 1)) == []


def test_enacting_the_proposal_clears_it_from_the_list() -> None:
    bundle, _ = load_directory(ROOT / "flows")
    enacted = enacted_rules(date(2026, 12, 1), TODAY)
    after = stale_items(ContentBundle(bundle.flows, bundle.answers, enacted), TODAY)
    assert not [i for i in after if i.kind == "planned_change"]
    [caveat] = [n for n in notices(ContentBundle(rules=enacted), ["work_wait_months"], TODAY)
                if n.kind == "caveat"]
    assert "low chance" in caveat.text.texts["en"] if caveat.text else False


def test_the_command_prints_the_list(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "content", "stale"], capture_output=True, text=True,
        cwd=ROOT, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3"})
    assert done.returncode == 0, done.stderr
    assert "minimum_wage_hour" in done.stdout and "work_wait_months" in done.stdout
    assert "the content files" in done.stdout  # no database: what would be published
