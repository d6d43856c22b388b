"""LOG_FORMAT=json: one object per line, no strings from `extra=`, no SQL parameters."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db.session import make_engine
from bot.errors import SettingsError
from bot.ops.logging import JsonFormatter, RedactingFormatter, configure_logging, log_format

SECRET_WORDS = "my asylum interview is on friday"


def record(msg: str, *args: object, exc: BaseException | None = None,
           **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("bot.test", logging.WARNING, __file__, 1, msg, args,
                            (type(exc), exc, exc.__traceback__) if exc else None)
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_one_json_object_per_line_with_numbers_from_extra() -> None:
    line = JsonFormatter().format(record("update %s failed %d times", 17, 3, update_id=17,
                                         duration_ms=12.5, person_text=SECRET_WORDS))
    entry = json.loads(line)
    assert entry["message"] == "update 17 failed 3 times"
    assert entry["level"] == "WARNING" and entry["logger"] == "bot.test"
    assert entry["update_id"] == 17 and entry["duration_ms"] == 12.5
    assert "person_text" not in entry and SECRET_WORDS not in line
    assert entry["time"].endswith("+00:00") and isinstance(entry["pid"], int)
    assert "\n" not in line


async def _integrity_error(tmp_path: Path, *, ours: bool = False) -> IntegrityError:
    """A duplicate-key error whose SQL parameters are the person's words; `ours`: from the
    engine Werkpad makes (which hides parameters), else from a plain SQLAlchemy engine."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"
    engine = make_engine(url) if ours else create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)"))
            await conn.execute(text("INSERT INTO t VALUES (1, :b)"), {"b": SECRET_WORDS})
            await conn.execute(text("INSERT INTO t VALUES (1, :b)"), {"b": SECRET_WORDS})
    except IntegrityError as exc:
        return exc
    finally:
        await engine.dispose()
    raise AssertionError("no error")


async def test_werkpads_engine_keeps_parameters_out_of_errors(tmp_path: Path) -> None:
    exc = await _integrity_error(tmp_path, ours=True)
    assert SECRET_WORDS not in str(exc) and "UNIQUE constraint failed" in str(exc)


async def test_a_database_error_never_logs_what_the_person_wrote(tmp_path: Path) -> None:
    # the formatters redact too, for an engine made elsewhere (a script, a library)
    exc = await _integrity_error(tmp_path)
    assert SECRET_WORDS in str(exc)  # what SQLAlchemy would print
    json_line = JsonFormatter().format(record("handling failed: %s", exc, exc=exc))
    entry = json.loads(json_line)
    assert SECRET_WORDS not in json_line
    assert "[parameters: hidden]" in entry["exc"] and "UNIQUE constraint failed" in entry["exc"]
    text_line = RedactingFormatter("%(message)s").format(record("failed", exc=exc))
    assert SECRET_WORDS not in text_line and "IntegrityError" in text_line


def test_log_format_is_checked() -> None:
    assert log_format({}) == "text"
    assert log_format({"LOG_FORMAT": " JSON "}) == "json"
    with pytest.raises(SettingsError, match="LOG_FORMAT must be text or json"):
        log_format({"LOG_FORMAT": "xml"})


def test_configure_logging_routes_uvicorn_through_the_json_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        assert configure_logging({"LOG_FORMAT": "json"}) == "json"
        root.setLevel(logging.INFO)
        logging.getLogger("uvicorn.error").info("Started server process")
        entry = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert entry["logger"] == "uvicorn.error" and entry["message"] == "Started server process"
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
