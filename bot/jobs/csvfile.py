"""Reading a job-leads CSV: UTF-8 (with or without BOM), comma, semicolon or tab, a header.

Everything that makes a file unreadable as a whole raises LeadFileError with the reason and
the fix (the CLI exits 2); a row that cannot be split is kept as a row with its CSV error, so
one broken row (an unclosed quote, a giant field) does not cost the rest of the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import WerkpadError
from bot.jobs.rows import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, header_name

MAX_FILE_BYTES = 20 * 1024 * 1024  # ~80,000 leads; far beyond any regional list
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAVE_AS = "save it from your spreadsheet as 'CSV UTF-8'"


class LeadFileError(WerkpadError):
    """The file cannot be read as a job-leads CSV at all; the message says why and how to fix."""


@dataclass
class LeadTable:
    """The rows of a file, before checking: (row, line, cells by column, or a CSV error)."""

    delimiter: str
    columns: list[str | None]  # per header cell: our column name, or None when ignored
    ignored: list[str]
    rows: list[tuple[int, int, dict[str, str] | None, str | None]]


def read_lead_file(path: Path) -> LeadTable:
    """Read and split the file; LeadFileError when it is not a readable job-leads CSV."""
    text = _decode(path)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter, skipped = None, 0
    if first_line.casefold().startswith("sep=") and len(first_line) == 5:  # Excel's hint line
        delimiter, text, skipped = first_line[4], text.partition("\n")[2], 1
        first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = delimiter or _guess_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = _records(reader, skipped)
    header = next(records, None)
    if header is None or header[2] is None or not any(c.strip() for c in header[2]):
        raise LeadFileError(f"{path}: the first line must be the header, and it is empty")
    columns = [header_name(cell) or None for cell in header[2]]
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    if not any(c in known for c in columns):
        raise LeadFileError(
            f"{path}: not a job-leads CSV: the header has none of the columns "
            f"{', '.join(REQUIRED_COLUMNS)} (found: {', '.join(header[2][:8])[:200]})"
        )
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        raise LeadFileError(f"{path}: column(s) {', '.join(duplicates)} appear more than once")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise LeadFileError(
            f"{path}: missing column(s): {', '.join(missing)} (the header has: "
            f"{', '.join(c for c in columns if c)})"
        )
    ignored = [c for c in columns if c and c not in known]
    rows: list[tuple[int, int, dict[str, str] | None, str | None]] = []
    width = len(columns)
    for row, line, cells, error in records:
        if error is not None or cells is None:
            rows.append((row, line, None, error or "cannot be read"))
        elif _misfit(cells, width):
            rows.append((row, line, None, f"has {len(cells)} fields; the header has {width}"))
        else:
            values = {c: v for c, v in zip(columns, cells, strict=False) if c in known}
            rows.append((row, line, values, None))
    if all(err is None and not any(v.strip() for v in cells or {}) for *_, cells, err in rows):
        raise LeadFileError(f"{path}: has a header but no rows")
    return LeadTable(delimiter, [c if c in known else None for c in columns], ignored, rows)


def _decode(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LeadFileError(
                f"{path}: {size / 1e6:.0f} MB is more than the limit of "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB; split the file"
            )
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise LeadFileError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        raise LeadFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LeadFileError(f"{path}: the file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise LeadFileError(f"{path}: an Excel workbook or ZIP file, not a CSV; {_SAVE_AS}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LeadFileError(f"{path}: UTF-16 text (Excel's 'Unicode text'); {_SAVE_AS}")
    if b"\x00" in data[:65536]:
        raise LeadFileError(f"{path}: binary data (NUL bytes), not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LeadFileError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}; perhaps "
            f"Windows-1252 or Latin-1); {_SAVE_AS}"
        ) from exc
    if not text.strip():
        raise LeadFileError(f"{path}: the file is empty")
    return text


def _misfit(cells: list[str], width: int) -> bool:
    """More or fewer cells than the header; empty cells at the end are a spreadsheet habit."""
    if len(cells) > width:
        return any(c.strip() for c in cells[width:])
    return len(cells) < width and any(c.strip() for c in cells)


def _guess_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most known columns (then most cells)."""
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:  # e.g. a bare carriage return: this delimiter explains nothing
            return -1, 0
        return sum(header_name(c) in known for c in cells), len(cells)

    return max(DELIMITERS, key=score)


def _records(
    reader: Iterator[list[str]], skipped: int
) -> Iterator[tuple[int, int, list[str] | None, str | None]]:
    """(row, first line, cells or None, CSV error or None) for every record of the reader."""
    row, line_num = 0, skipped
    while True:
        start = line_num + 1
        try:
            cells = next(reader)
            error = None
        except StopIteration:
            return
        except csv.Error as exc:
            cells, error = None, f"cannot be read as CSV: {_csv_problem(exc)}"
        line_num = skipped + int(getattr(reader, "line_num", 0))  # a csv reader has it
        row += 1
        yield row, start, cells, error


def _csv_problem(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a field is longer than {csv.field_size_limit()} characters"
    return text
