"""The real content in flows/ and its generated diagrams: CI fails on bad content."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from bot.content.store import check_directory, load_directory
from bot.flows.diagram import to_mermaid
from bot.settings import ROOT, load_settings


def test_the_content_in_the_repository_has_no_problems() -> None:
    settings = load_settings(ROOT / "config.yml", env={})
    issues = check_directory(ROOT / "flows", settings)
    assert not issues, "\n".join(str(issue) for issue in issues)


def test_every_flow_has_a_current_diagram_linked_from_the_readme() -> None:
    bundle, issues = load_directory(ROOT / "flows")
    assert not issues
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for flow in bundle.flows.values():
        page = ROOT / "docs" / "diagrams" / f"{flow.id}.md"
        assert page.exists(), f"run `make diagrams`: {page} is missing"
        assert to_mermaid(flow) in page.read_text(encoding="utf-8"), (
            f"{page} is out of date: run `make diagrams`"
        )
        assert f"(docs/diagrams/{flow.id}.md)" in readme


# Answers that state no fact (small talk, what the bot can do): a source would only pretend.
NO_FACTS = {"greet", "affirm", "deny", "thank", "goodbye", "bot_challenge", "change_language",
            "out_of_scope", "help"}


def test_every_answer_with_facts_names_a_source_and_when_it_was_verified() -> None:
    bundle, _ = load_directory(ROOT / "flows")
    for key, answer in bundle.answers.items():
        if key in NO_FACTS:
            assert not answer.sources, f"{key} states no fact from {answer.sources[0].url}"
            continue
        assert answer.sources, f"answer {key} has no source"
        assert all(s.url.startswith(("https://", "http://")) and s.verified
                   for s in answer.sources), key
        # nobody read a page on a day after today, and nothing claims the live page unread
        assert all(s.verified and s.verified <= date.today() for s in answer.sources), key
        assert all(s.seen == "copy" for s in answer.sources), (
            f"{key}: a source says `seen: live`, but no live page has been read yet")


def test_no_rule_number_is_written_into_python() -> None:
    """The waiting time lives in rules.yml; the eligibility code must not hard-code it."""
    for path in (ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"add_months\([^)]*,\s*6\)", text), path
        assert "WAIT_MONTHS" not in text.upper().replace("WORK_WAIT_MONTHS", ""), path


def test_content_check_command_exits_non_zero_on_a_broken_flow(tmp_path: Path) -> None:
    broken = tmp_path / "flows"
    (broken / "flows").mkdir(parents=True)
    for name in ("rules.yml", "keywords.yml"):
        (broken / name).write_text((ROOT / "flows" / name).read_text(encoding="utf-8"))
    (broken / "flows" / "bad.yml").write_text(
        "flow: bad\nversion: 1\ntitle: {en: Bad, nl: Slecht}\nstart_intents: []\n"
        "steps:\n  - id: a\n    goto: nowhere\n", encoding="utf-8")
    config = tmp_path / "config.yml"
    config.write_text(f"content:\n  dir: {broken}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "content", "check"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 1
    assert "flows/bad.yml:7: bad/a:" in done.stdout and "nowhere" in done.stdout
