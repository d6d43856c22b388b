"""Mermaid diagrams: one node per step, edges for next/goto/if, written per flow."""

from __future__ import annotations

from pathlib import Path

from bot.flows.diagram import to_mermaid, write_diagrams
from tests.flows.flow_fixtures import ELIGIBILITY, bundle_from


def test_mermaid_has_nodes_edges_conditions_and_options() -> None:
    bundle, _ = bundle_from(ELIGIBILITY)
    chart = to_mermaid(bundle.flows["eligibility"])
    lines = chart.splitlines()
    assert lines[0] == "flowchart TD"
    for step in bundle.flows["eligibility"].steps:
        assert any(line.strip().startswith(f"s_{step}") for line in lines), step
    assert '    s_ask_date[/"ask_date: application_date (date): When did you apply' in chart
    assert "coa / other" in chart  # the choice's options
    assert "    s_ask_date --> s_ask_reception" in lines
    assert "    s_ask_reception --> s_decide" in lines
    assert "    s_decide -->|\"coa_reception != 'coa'\"| s_to_coach" in lines
    assert '    s_decide -->|"today() #gt;= add_months(application_date, ' \
        "rule('work_wait_months'))\"| s_allowed" in lines
    assert '    s_decide -->|"else"| s_compute' in lines
    assert "    s_not_yet --> s_done" in lines
    assert "    s_allowed --> s_ask_jobs" in lines
    assert not [line for line in lines if line.startswith("    s_done -->")]  # end stops
    assert not [line for line in lines if line.startswith("    s_to_coach -->")]  # handoff too
    assert 's_done(["done: Good luck!"])' in chart


def test_labels_follow_the_language_and_are_escaped() -> None:
    bundle, _ = bundle_from(ELIGIBILITY.replace('"Good luck!"', "'Good \"luck\" #1; <3'"))
    chart = to_mermaid(bundle.flows["eligibility"], "nl")
    assert "Wanneer heb je asiel aangevraagd?" in chart
    assert "#quot;" not in to_mermaid(bundle.flows["eligibility"], "nl")
    english = to_mermaid(bundle.flows["eligibility"])
    assert 'Good #quot;luck#quot; #35;1#59; #lt;3' in english


def test_write_diagrams(tmp_path: Path) -> None:
    bundle, _ = bundle_from(ELIGIBILITY)
    written = write_diagrams(bundle, tmp_path / "docs" / "diagrams")
    assert written == [tmp_path / "docs" / "diagrams" / "eligibility.md"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("# May I work? (`eligibility`, version 3)")
    assert "```mermaid\nflowchart TD\n" in text and text.rstrip().endswith("```")
