"""`python -m bot jobs import`: good rows kept, bad rows rejected with their reason, nothing
half-written; on SQLite and PostgreSQL (the `db_engine` fixture runs the migrations)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import make_sessionmaker
from bot.errors import StorageError
from bot.jobs import leads as repo
from bot.jobs.csvfile import LeadFileError, read_lead_file
from bot.jobs.importer import ImportReport, ProgressBar, check_table, import_file
from bot.jobs.models import JobLead
from bot.jobs.places import Places
from bot.jobs.rows import RowChecker
from bot.settings import ROOT

TODAY = date(2026, 11, 28)
SAMPLE_FILE = ROOT / "data" / "jobs" / "sample_leads.csv"
HEADER = (
    "employer", "title", "sector", "municipality", "hours_min", "hours_max", "language_level",
    "twv_willing", "contact_route", "valid_until", "source", "notes", "is_sample",
)  # fmt: skip
GOOD: dict[str, str] = {
    "employer": "Schoonmaak De Kempen BV", "title": "Schoonmaker (cleaner)",
    "sector": "cleaning", "municipality": "Budel", "hours_min": "16", "hours_max": "24",
    "language_level": "none", "twv_willing": "yes",
    "contact_route": "Coach team Zuidoost-Brabant, ask for Sanne", "valid_until": "2027-03-31",
    "source": "WSP Zuidoost-Brabant", "notes": "", "is_sample": "no",
}  # fmt: skip


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def csv_text(rows: Sequence[dict[str, str]], *, delimiter: str = ",",
             header: Sequence[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(name, "") for name in header])
    return out.getvalue()


def write(tmp_path: Path, rows: Sequence[dict[str, str]], *, name: str = "leads.csv",
          bom: bool = False, **options: Any) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + csv_text(rows, **options).encode())
    return path


@pytest.fixture(scope="module")
def places() -> Places:
    return Places.load()


async def run_import(
    engine: AsyncEngine, path: Path, places: Places, **options: Any
) -> ImportReport:
    sessions = make_sessionmaker(engine)
    return await import_file(sessions, path, places=places, today=TODAY, **options)


async def stored(engine: AsyncEngine) -> list[JobLead]:
    async with make_sessionmaker(engine)() as session:
        return list((await session.scalars(select(JobLead).order_by(JobLead.id))).all())


def problems_of(places: Places, *rows: dict[str, str], tmp_path: Path) -> list[str]:
    """The report line of each row, checked without a database."""
    results, _ = check_table(read_lead_file(write(tmp_path, rows)), RowChecker(places, TODAY))
    return [r.describe() for r in results]


# -- good files ---------------------------------------------------------------------------------

async def test_a_good_file_is_imported_whole(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    path = write(tmp_path, [
        GOOD,
        row(employer="Uitzendbureau Noord", title="Afwasser", sector="hospitality",
            municipality="GM0363", hours_min="20", hours_max="", language_level="a2",
            twv_willing="true", valid_until="15-01-2027", source="", is_sample=""),
        row(title="Orderpicker", sector="warehouse_logistics", municipality="AZC Ter Apel",
            twv_willing="0", valid_until=TODAY.isoformat()),
    ])  # fmt: skip
    report = await run_import(db_engine, path, places)
    assert [r.describe() for r in report.results] == ["row 2: OK", "row 3: OK", "row 4: OK"]
    assert (report.imported, report.rejected, report.exit_code) == (3, 0, 0)
    budel, amsterdam, ter_apel = await stored(db_engine)
    assert (budel.municipality_code, budel.hours_min, budel.hours_max) == ("GM1706", 16, 24)
    assert budel.twv_willing is True and budel.is_sample is False
    assert budel.created_at.tzinfo is not None
    assert amsterdam.municipality_code == "GM0363"
    assert (amsterdam.hours_min, amsterdam.hours_max) == (20, 20)  # no maximum: a fixed week
    assert amsterdam.language_level == "A2" and amsterdam.valid_until == date(2027, 1, 15)
    assert amsterdam.source is None and amsterdam.notes is None
    assert ter_apel.municipality_code == "GM1950" and ter_apel.sector == "logistics"
    assert ter_apel.twv_willing is False and ter_apel.valid_until == TODAY


async def test_a_semicolon_file_with_dutch_dates_and_words_and_a_bom(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    path = write(tmp_path, [row(twv_willing="ja", valid_until="31-12-2027", is_sample="nee",
                                municipality="Cranendonck", title="Schoonmaker; avonden")],
                 delimiter=";", bom=True)
    report = await run_import(db_engine, path, places)
    assert (report.imported, report.exit_code, report.delimiter) == (1, 0, ";")
    [lead] = await stored(db_engine)
    assert lead.title == "Schoonmaker; avonden" and lead.valid_until == date(2027, 12, 31)
    assert lead.employer == GOOD["employer"]  # the BOM is not part of the first column name


def test_excel_sep_line_tab_delimiters_and_spreadsheet_habits(
    places: Places, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    body = csv_text([GOOD, {}], delimiter="\t")
    body = body.replace("\r\n", "\t\t\r\n")  # empty cells at the end of every line
    path.write_text("sep=\t\r\n" + body, encoding="utf-8")
    table = read_lead_file(path)
    results, good = check_table(table, RowChecker(places, TODAY))
    assert table.delimiter == "\t" and len(good) == 1
    assert [r.describe() for r in results] == ["row 2 (line 3): OK",
                                               "row 3 (line 4): empty, skipped"]


def test_unknown_columns_are_ignored_and_named(places: Places, tmp_path: Path) -> None:
    header = (*HEADER, "Salary")
    path = write(tmp_path, [row(Salary="14.71")], header=header)
    table = read_lead_file(path)
    assert table.ignored == ["salary"]
    assert check_table(table, RowChecker(places, TODAY))[0][0].ok


# -- bad rows -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"employer": ""}, "employer is empty"),
        ({"contact_route": "  "}, "contact_route is empty"),
        ({"sector": "bakery"}, "sector 'bakery' is not one of: cleaning, production, hospitality"),
        ({"sector": ""}, "sector is empty"),
        ({"municipality": "Atlantis"}, "'Atlantis' is not a Dutch municipality or place"),
        ({"municipality": "Bergen"},
         "may be Bergen (NH.) (GM0373), Bergen (L.) (GM0893); use the GM code"),
        ({"municipality": "Amsterdm"}, "did you mean Amsterdam (GM0363)?"),
        ({"municipality": "GM9999"}, "municipality code GM9999 does not exist"),
        ({"hours_min": "abc"}, "hours_min 'abc' is not a whole number of hours"),
        ({"hours_min": "12.5"}, "hours_min '12.5' is not a whole number"),
        ({"hours_min": ""}, "hours_min is empty"),
        ({"hours_min": "32", "hours_max": "16"}, "hours 32-16: both must be 1 to 60 a week"),
        ({"hours_max": "80"}, "hours 16-80: both must be 1 to 60"),
        ({"language_level": "C2"}, "language_level 'C2' is not one of: none, A1, A2, B1, B2"),
        ({"twv_willing": "maybe"}, "twv_willing 'maybe' is not yes/no"),
        ({"twv_willing": ""}, "twv_willing is empty yes/no"),
        ({"is_sample": "sure"}, "is_sample 'sure' is not yes/no"),
        ({"valid_until": "31-02-2027"}, "valid_until '31-02-2027' is not a date"),
        ({"valid_until": "next week"}, "valid_until 'next week' is not a date"),
        ({"valid_until": "2026-11-27"}, "valid_until 2026-11-27 is in the past"),
        ({"valid_until": ""}, "valid_until is empty"),
        ({"title": "<script>alert(1)</script>"}, "title contains HTML or script"),
        ({"notes": "<b>urgent</b>"}, "notes contains HTML or script"),
        ({"contact_route": "javascript:alert(1)"}, "contact_route contains HTML or script"),
        ({"employer": "Bel &#60;b&#62;"}, "employer contains HTML or script"),
        ({"title": "Schoonmaker, bel 06-12345678"}, "title contains a phone number"),
        ({"employer": "jan@example.nl"}, "employer contains a phone number, e-mail"),
        ({"title": "zie www.example.nl"}, "title contains a phone number, e-mail address or link"),
        ({"title": "Schoon\x07maker"}, "title contains control characters"),
        ({"title": "x" * 10_000}, "title is 10000 characters long; at most 200"),
        ({"notes": "y" * 1001}, "notes is 1001 characters long; at most 1000"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(
    places: Places, tmp_path: Path, changes: dict[str, str], reason: str
) -> None:
    good, bad = problems_of(places, GOOD, row(**changes), tmp_path=tmp_path)
    assert good == "row 2: OK"
    assert bad.startswith("row 3: rejected: ")
    assert reason in bad, bad
    assert len(bad) < 400  # the report quotes values short, never a whole 10,000-character field


def test_every_problem_of_a_row_is_named_at_once(places: Places, tmp_path: Path) -> None:
    [line] = problems_of(places, row(sector="bakery", hours_min="x", twv_willing="?"),
                         tmp_path=tmp_path)
    assert line.count(";") >= 2 and "sector" in line and "hours_min" in line and "twv" in line


def test_a_duplicate_row_and_rows_of_the_wrong_width(places: Places, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    text = csv_text([GOOD, GOOD])
    extra = csv_text([], header=[*row(title="Other").values(), "extra"]).rstrip()
    text += f"too,few,fields\r\n{extra}\r\n"
    path.write_text(text, encoding="utf-8")
    results, good = check_table(read_lead_file(path), RowChecker(places, TODAY))
    assert len(good) == 1
    assert [r.describe() for r in results] == [
        "row 2: OK",
        "row 3: rejected: the same lead as row 2 (employer, title, place, date)",
        "row 4: rejected: has 3 fields; the header has 13",
        "row 5: rejected: has 14 fields; the header has 13",
    ]


def test_a_giant_field_and_an_unclosed_quote_cost_only_their_rows(
    places: Places, tmp_path: Path
) -> None:
    path = tmp_path / "giant.csv"
    text = csv_text([row(notes="z" * 200_000), GOOD])
    text += 'Broken "quote,"oops\r\n'
    path.write_text(text, encoding="utf-8")
    results, good = check_table(read_lead_file(path), RowChecker(places, TODAY))
    assert [r.ok for r in results] == [False, True, False]
    assert "a field is longer than 131072 characters" in results[0].describe()
    assert len(good) == 1


async def test_good_rows_are_kept_and_bad_ones_rejected(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    path = write(tmp_path, [GOOD, row(sector="bakery"), row(title="Orderpicker", notes="<i>")])
    report = await run_import(db_engine, path, places)
    assert (report.imported, report.rejected, report.exit_code) == (1, 2, 1)
    assert [lead.title for lead in await stored(db_engine)] == [GOOD["title"]]
    assert "imported 1 lead(s), rejected 2 row(s) (comma-separated" in report.summary()


# -- unreadable files ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b" \r\n\r\n", "the file is empty"),
        (csv_text([]).encode(), "has a header but no rows"),
        (b"PK\x03\x04\x14\x00\x06\x00", "an Excel workbook or ZIP file, not a CSV"),
        (b"\xff\xfee\x00m\x00", "UTF-16 text"),
        (b"employer,title\x00\x01\x02", "binary data (NUL bytes)"),
        (csv_text([row(employer="Caf\u00e9 Noord")]).encode("cp1252"),
         "not UTF-8 text (byte 0xe9 on line 2"),
        (b"name,age\nJan,40\n", "not a job-leads CSV: the header has none of the columns"),
        (b"Dear coach, here are the jobs we have.\n", "not a job-leads CSV"),
        (b"employer,title,employer\nA,B,C\n", "column(s) employer appear more than once"),
        (",".join(HEADER[:3]).encode() + b"\nA,B,cleaning\n",
         "missing column(s): municipality, hours_min, hours_max, language_level, twv_willing, "
         "contact_route, valid_until (the header has: employer, title, sector)"),
    ],
)
async def test_an_unreadable_file_is_refused_with_the_reason(
    db_engine: AsyncEngine, places: Places, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(LeadFileError) as caught:
        await run_import(db_engine, path, places)
    assert reason in str(caught.value)
    assert await stored(db_engine) == []


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LeadFileError, match="cannot read"):
        read_lead_file(tmp_path / "nope.csv")
    with pytest.raises(LeadFileError, match="is a folder"):
        read_lead_file(tmp_path)


# -- all or nothing -----------------------------------------------------------------------------

async def test_a_crash_halfway_writes_nothing(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    rows = [row(title=f"Schoonmaker {i}") for i in range(10)]
    path = write(tmp_path, rows)
    written: list[int] = []

    def crash_after_the_first_batches(phase: str, done: int, total: int) -> None:
        if phase == "writing":
            written.append(done)
            if done >= 4:
                raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        await run_import(db_engine, path, places, batch_size=2,
                         progress=crash_after_the_first_batches)
    assert written == [2, 4]  # two batches had gone to the database
    assert await stored(db_engine) == []


async def test_a_database_error_halfway_writes_nothing_and_says_so(
    db_engine: AsyncEngine, places: Places, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await run_import(db_engine, write(tmp_path, [GOOD], name="first.csv"), places)
    real_add = repo.add_leads
    calls = 0

    async def failing_add(session: Any, *, leads: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OperationalError("INSERT", {}, Exception("disk full"))
        return await real_add(session, leads=leads)

    monkeypatch.setattr(repo, "add_leads", failing_add)
    path = write(tmp_path, [row(title=f"Orderpicker {i}") for i in range(5)], name="second.csv")
    with pytest.raises(StorageError, match="nothing was written: disk full"):
        await run_import(db_engine, path, places, batch_size=2, replace_sample=True)
    assert [lead.title for lead in await stored(db_engine)] == [GOOD["title"]]


# -- options ------------------------------------------------------------------------------------

async def test_if_empty_imports_only_into_an_empty_table(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    path = write(tmp_path, [GOOD])
    first = await run_import(db_engine, path, places, if_empty=True)
    second = await run_import(db_engine, path, places, if_empty=True)
    assert (first.imported, first.existing) == (1, None)
    assert (second.imported, second.existing, second.exit_code) == (0, 1, 0)
    assert "already has 1 job lead(s)" in second.summary()
    assert len(await stored(db_engine)) == 1


async def test_replace_sample_swaps_the_sample_leads_and_keeps_real_ones(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    await run_import(db_engine, write(tmp_path, [GOOD], name="real.csv"), places)
    first = await run_import(db_engine, SAMPLE_FILE, places, replace_sample=True)
    again = await run_import(db_engine, SAMPLE_FILE, places, replace_sample=True)
    assert again.replaced_samples == first.imported
    leads = await stored(db_engine)
    assert len(leads) == 1 + first.imported
    assert sum(not lead.is_sample for lead in leads) == 1


async def test_a_dry_run_writes_nothing(
    db_engine: AsyncEngine, places: Places, tmp_path: Path
) -> None:
    report = await run_import(db_engine, write(tmp_path, [GOOD]), places, dry_run=True)
    assert report.good == 1 and report.imported == 0
    assert "would import 1 lead(s)" in report.summary()
    assert await stored(db_engine) == []


# -- the sample data ----------------------------------------------------------------------------

async def test_the_sample_file_is_clean_clearly_sample_and_spread_out(
    db_engine: AsyncEngine, places: Places
) -> None:
    report = await run_import(db_engine, SAMPLE_FILE, places)
    assert report.rejected == 0 and report.imported >= 30
    leads = await stored(db_engine)
    assert all(lead.is_sample and "(SAMPLE)" in lead.employer for lead in leads)
    assert all(lead.valid_until.year == 2027 for lead in leads)
    assert {"cleaning", "production", "hospitality", "logistics"} <= {x.sector for x in leads}
    codes = {lead.municipality_code for lead in leads}
    # Amsterdam, Rotterdam, Utrecht, Zwolle, Cranendonck, Westerwolde, Groningen, Eindhoven
    assert {"GM0363", "GM0599", "GM0344", "GM0193", "GM1706", "GM1950", "GM0014",
            "GM0772"} <= codes
    assert any(not lead.twv_willing for lead in leads)  # to show they are left out


# -- the command line ---------------------------------------------------------------------------

def test_the_command_reports_every_row_and_exits_0_1_or_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["db", "upgrade"]) == 0
    future = row(valid_until="2099-12-31")  # the command uses the real clock
    good = write(tmp_path, [future], name="good.csv")
    mixed = write(tmp_path, [{**future, "title": "Afwasser"}, {**future, "sector": "?"}],
                  name="mixed.csv")
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01")
    capsys.readouterr()

    assert main(["jobs", "import", str(good)]) == 0
    out, err = capsys.readouterr()
    assert "row 2: OK" in out and "imported 1 lead(s), rejected 0 row(s)" in out
    assert "writing [" in err and "100%" in err  # the progress bar

    assert main(["jobs", "import", str(mixed)]) == 1
    out, _ = capsys.readouterr()
    assert "row 2: OK" in out and "row 3: rejected: sector '?'" in out

    assert main(["jobs", "import", str(broken)]) == 2
    _, err = capsys.readouterr()
    assert "binary data" in err

    assert main(["jobs", "import", str(good), "--if-empty"]) == 0
    out, _ = capsys.readouterr()
    assert "already has 2 job lead(s)" in out


def test_quiet_prints_only_the_rejected_rows_and_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run` imports the sample leads with --quiet: no line per good row."""
    from bot.__main__ import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'quiet.sqlite3'}")
    assert main(["db", "upgrade"]) == 0
    future = row(valid_until="2099-12-31")
    mixed = write(tmp_path, [future, {**future, "title": "Kok"}, {**future, "sector": "?"}],
                  name="mixed.csv")
    capsys.readouterr()
    assert main(["jobs", "import", str(mixed), "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "OK" not in out
    assert "row 4: rejected: sector '?'" in out
    assert "imported 2 lead(s), rejected 1 row(s)" in out
    assert "writing [" not in err  # nor the progress bar


def test_the_progress_bar_redraws_in_place_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen, width=10)
    for done in range(0, 101, 10):
        bar("checking", done, 100)
    drawn = screen.getvalue()
    assert drawn.startswith("\rchecking [") and drawn.endswith("100% 100/100\n")
    assert drawn.count("\n") == 1
