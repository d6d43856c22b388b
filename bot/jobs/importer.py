"""`python -m bot jobs import FILE.csv`: check every row, keep the good ones, all in one go.

The file is read whole (csvfile.py), every row is checked (rows.py), and the good rows are
written in one transaction: a failure halfway writes nothing. A file that cannot be read at
all raises LeadFileError (the CLI exits 2); bad rows are reported with their reason and left
out (exit 1).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import utcnow
from bot.errors import StorageError
from bot.jobs import leads as repo
from bot.jobs.csvfile import DELIMITER_NAMES, LeadTable, read_lead_file
from bot.jobs.places import Places
from bot.jobs.rows import RowChecker

BATCH_SIZE = 1000

# phase ("checking" | "writing"), done, total
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int  # as a spreadsheet numbers it: the header is row 1
    line: int  # the line of the file where the row starts
    problems: tuple[str, ...] = ()
    blank: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.blank

    def describe(self) -> str:
        where = f"row {self.row}" + (f" (line {self.line})" if self.line != self.row else "")
        if self.blank:
            return f"{where}: empty, skipped"
        return f"{where}: " + ("OK" if self.ok else "rejected: " + "; ".join(self.problems))


@dataclass
class ImportReport:
    path: Path
    results: list[RowResult] = field(default_factory=list)
    delimiter: str = ","
    ignored_columns: list[str] = field(default_factory=list)
    imported: int = 0
    replaced_samples: int = 0
    existing: int | None = None  # set when --if-empty found leads and did nothing
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def good(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def rejected(self) -> int:
        return sum(bool(r.problems) for r in self.results)

    @property
    def exit_code(self) -> int:
        """0: imported (or skipped by --if-empty), nothing rejected; 1: some rows rejected."""
        return 1 if self.rejected else 0

    def summary(self) -> str:
        if self.existing is not None:
            return (f"{self.path}: not imported, the database already has {self.existing} "
                    "job lead(s) (--if-empty)")
        verb = "would import" if self.dry_run else "imported"
        text = (f"{self.path}: {verb} {self.good} lead(s), rejected {self.rejected} row(s) "
                f"({DELIMITER_NAMES[self.delimiter]}-separated, {self.seconds:.2f} s)")
        if self.replaced_samples:
            text += f"; replaced {self.replaced_samples} sample lead(s)"
        if self.ignored_columns:
            text += f"; ignored unknown column(s): {', '.join(self.ignored_columns)}"
        return text


class ProgressBar:
    """A progress bar on a stream (stderr): redrawn in place on a terminal, a few lines if not."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self._last: tuple[str, int] = ("", -1)
        self._drawn_at = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        share = done / total if total else 1.0
        step = int(share * 4) if not self.tty else int(share * 100)
        now = time.monotonic()
        finished = done >= total
        too_soon = self.tty and not finished and now - self._drawn_at < 0.1
        if (phase, step) == self._last or too_soon:
            return
        self._last, self._drawn_at = (phase, step), now
        filled = int(share * self.width)
        bar = f"{'#' * filled}{'.' * (self.width - filled)}"
        bar = f"{phase:>8} [{bar}] {share:4.0%} {done}/{total}"
        if self.tty:
            self.stream.write("\r" + bar + ("\n" if finished else ""))
        else:
            self.stream.write(bar + "\n")
        self.stream.flush()


def check_table(
    table: LeadTable, checker: RowChecker, progress: Progress | None = None
) -> tuple[list[RowResult], list[dict[str, Any]]]:
    """Check every row: a result per row, and the good rows as lead column values."""
    results: list[RowResult] = []
    good: list[dict[str, Any]] = []
    total = len(table.rows)
    for i, (row, line, values, error) in enumerate(table.rows, 1):
        if error is not None or values is None:
            results.append(RowResult(row, line, (error or "cannot be read",)))
        elif not any(v.strip() for v in values.values()):
            results.append(RowResult(row, line, blank=True))
        else:
            lead, problems = checker.check(row, values)
            results.append(RowResult(row, line, tuple(problems)))
            if lead is not None:
                good.append(lead)
        if progress is not None and (i % 500 == 0 or i == total):
            progress("checking", i, total)
    return results, good


async def import_file(
    sessions: async_sessionmaker[AsyncSession],
    path: Path,
    *,
    places: Places,
    today: date,
    replace_sample: bool = False,
    if_empty: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Check the file and write its good rows in one transaction; nothing is written on error."""
    started = time.perf_counter()
    report = ImportReport(path=path, dry_run=dry_run)
    try:
        async with sessions() as session, session.begin():
            if if_empty and (existing := await repo.count_leads(session)):
                report.existing = existing
                return report
            table = read_lead_file(path)
            report.delimiter, report.ignored_columns = table.delimiter, table.ignored
            report.results, good = check_table(table, RowChecker(places, today), progress)
            if dry_run:
                return report
            if replace_sample:
                report.replaced_samples = await repo.delete_sample_leads(session)
            await _write(session, good, progress, batch_size)
            report.imported = len(good)
    except SQLAlchemyError as exc:
        raise StorageError(
            f"writing the job leads failed, nothing was written: {_db_problem(exc)}"
        ) from exc
    finally:
        report.seconds = time.perf_counter() - started
    return report


async def _write(
    session: AsyncSession,
    good: list[dict[str, Any]],
    progress: Progress | None,
    batch_size: int,
) -> None:
    created = utcnow()  # one timestamp for the whole import: it names the batch
    for start in range(0, len(good), batch_size):
        batch = [{**lead, "created_at": created} for lead in good[start : start + batch_size]]
        await repo.add_leads(session, leads=batch)
        if progress is not None:
            progress("writing", start + len(batch), len(good))


def _db_problem(exc: SQLAlchemyError) -> str:
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "job_leads" in text and ("no such table" in text or "does not exist" in text):
        return f"{text} (run `python -m bot db upgrade` first)"
    return text
