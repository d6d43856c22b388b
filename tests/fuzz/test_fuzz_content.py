"""Fuzz: broken flow/answer YAML and broken job-lead CSV files give clear errors, never a crash.

YAML: the real content files, cut, shuffled, re-indented and salted with hostile characters,
plus YAML that hypothesis builds from scratch: every outcome is a list of ContentIssue with a
line number, and text that is not YAML always gives at least one.
CSV: random files (delimiters, quotes, encodings, empty and giant cells): either a
LeadFileError for the whole file or one report line per row.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flows.issues import ContentIssue
from bot.flows.loader import load_bundle_texts
from bot.flows.validation import check_bundle
from bot.jobs.csvfile import LeadFileError, read_lead_file
from bot.jobs.importer import check_table
from bot.jobs.rows import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, RowChecker
from bot.settings import ROOT

YAML_EXAMPLES = 3000
CSV_EXAMPLES = 2000
CONTENT = ROOT / "flows"
BUNDLE_FILES = ("rules.yml", "keywords.yml", "safety.yml")  # plus flows/ and answers/
REAL_FILES = {  # the files load_bundle_texts reads (employer.yml and the like have their own)
    path.relative_to(CONTENT).as_posix(): path.read_text(encoding="utf-8")
    for path in sorted(CONTENT.rglob("*.yml"))
    if (path.parent.name in ("flows", "answers") and path.parent != CONTENT)
    or path.relative_to(CONTENT).as_posix() in BUNDLE_FILES
}
NASTY = ["\x00", "\ufeff", "\u202e", "\u200d", "\ud7ff", "\U0001f600", "\t", "\r", "\\", '"',
         "'", ":", "- ", "? ", "&a ", "*a", "!!python/object:os.system ", "{", "[", "%YAML 9",
         "---", "...", "#", "|", ">", "\u0301" * 50, "ﷺ", "\x85", "\u2028"]

FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated_yaml(draw: st.DrawFn) -> tuple[str, str]:
    """(path, text): a real content file with a few lines broken."""
    path = draw(st.sampled_from(sorted(REAL_FILES)))
    lines = REAL_FILES[path].splitlines()[:400]
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "salt",
                                       "cut", "swap", "tab"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 7)) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "salt":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(NASTY)) + lines[i][at:]
        elif action == "cut":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i].replace("  ", "\t", 1)
    return path, "\n".join(lines)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=12) | st.integers(), children, max_size=5),
    max_leaves=25,
)


@st.composite
def generated_yaml(draw: st.DrawFn) -> tuple[str, str]:
    """(path, text): YAML built from random values, sometimes shaped like a flow."""
    path = draw(st.sampled_from(["flows/x.yml", "answers/greet.yml", "rules.yml",
                                 "keywords.yml", "safety.yml"]))
    value: Any = draw(yaml_values)
    if draw(st.booleans()):
        value = {"flow": draw(st.text(max_size=10)), "steps": draw(st.lists(yaml_values,
                                                                             max_size=4))}
    return path, yaml.safe_dump(value, allow_unicode=True)


def _is_yaml(text: str) -> bool:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return True


@given(case=st.one_of(mutated_yaml(), generated_yaml(),
                      st.tuples(st.just("flows/raw.yml"), st.text(max_size=300))))
@settings(parent=FUZZ, max_examples=YAML_EXAMPLES)
def test_broken_content_yaml_gives_issues_with_lines(case: tuple[str, str]) -> None:
    path, text = case
    bundle, issues = load_bundle_texts({path: text})
    issues += check_bundle(bundle, ["en", "nl"], {"greet", "can_i_work"})
    for issue in issues:
        assert isinstance(issue, ContentIssue)
        assert isinstance(issue.line, int) and issue.line >= 1, issue
        assert issue.file and issue.message.strip(), issue
    if not _is_yaml(text):
        assert any(i.file == path for i in issues), "a YAML error must name the file"


COLUMNS = [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS]
cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", '"', '""', 'a"b', "x\ny", "1e999", "-1", "2027-02-30", "GM0363",
                     "Amsterdam", "yes", "nee", "=cmd|' /C calc'!A0", "\x00", "\ufeff", "∞"]),
    st.integers(-10, 10**6).map(str),
    st.just("z" * 5000),
)


@st.composite
def lead_files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(COLUMNS) | st.text(max_size=8), max_size=14))
    if draw(st.booleans()):
        header = list(COLUMNS)
    rows = draw(st.lists(st.lists(cells, max_size=len(header) + 2), max_size=12))

    def quote(cell: str) -> str:
        if draw(st.booleans()) or any(c in cell for c in (delimiter, '"', "\n")):
            return '"' + cell.replace('"', '""' if draw(st.integers(0, 9)) else '"') + '"'
        return cell

    lines = [delimiter.join(header)] + [delimiter.join(quote(c) for c in row) for row in rows]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    if draw(st.integers(0, 9)) == 0:
        text = "sep=" + delimiter + "\n" + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 19)) == 0:
        data = draw(st.binary(max_size=200))
    return data


@pytest.fixture(scope="module")
def places() -> Any:
    from bot.jobs.places import Places

    return Places.load()


@given(data=lead_files())
@settings(parent=FUZZ, max_examples=CSV_EXAMPLES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_bad_job_lead_files_get_a_report_per_row(
    data: bytes, places: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.getbasetemp() / "leads.csv"
    Path(path).write_bytes(data)
    try:
        table = read_lead_file(path)
    except LeadFileError as exc:
        assert str(exc).strip()  # says why, and how to fix it
        return
    results, good = check_table(table, RowChecker(places=places, today=date(2026, 11, 28)))
    assert [r.row for r in results] == [row for row, *_ in table.rows]
    assert len(good) == sum(r.ok for r in results)
    for result in results:
        assert result.describe().startswith(f"row {result.row}")
        assert result.ok or result.blank or all(p.strip() for p in result.problems)


def test_a_bare_carriage_return_in_the_header_line(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(b"employer,title\rcontact_route\nA,B,C\n")
    with contextlib.suppress(LeadFileError):  # a clear file-level error would be fine too
        read_lead_file(path)
