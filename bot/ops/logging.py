"""Log formats for the long-running processes: text (default) or one JSON object per line.

LOG_FORMAT=json gives {"time", "level", "logger", "message", "pid"} plus "exc" for a traceback
and any numeric `extra=` fields. Werkpad's own log calls never pass what a person wrote; the
one place it could still slip in is a database error's traceback, which SQLAlchemy prints
with the statement's parameters (the message text being stored): both formats cut those out.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.errors import SettingsError

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# SQLAlchemy: "[parameters: (...)]" (or "[parameters: [...]]" for executemany) before the
# "(Background on this error at: ...)" line; cut up to that line or the end of the text.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.DOTALL)
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "taskName"}


def redact(text: str) -> str:
    """The text without SQL statement parameters."""
    return _SQL_PARAMETERS.sub("[parameters: hidden]", text)


class RedactingFormatter(logging.Formatter):
    """The usual text lines, with SQL parameters cut out of tracebacks."""

    def formatException(self, ei: Any) -> str:
        return redact(super().formatException(ei))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; strings in `extra=` are left out, numbers kept."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and isinstance(value, int | float):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_format(env: Mapping[str, str] | None = None) -> str:
    """LOG_FORMAT from the environment: text (default) or json."""
    env = os.environ if env is None else env
    value = env.get("LOG_FORMAT", "").strip().lower() or "text"
    if value not in FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json, not {value!r}")
    return value


def configure_logging(env: Mapping[str, str] | None = None) -> str:
    """Point the root logger at stderr in the chosen format; returns the format's name.

    The level stays as it is (`-v` sets DEBUG). Uvicorn's loggers go through the same handler
    (start it with log_config=None).
    """
    fmt = log_format(env)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else RedactingFormatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
        uvicorn_logger.disabled = False  # a logging config loaded earlier may have switched it off
        uvicorn_logger.setLevel(logging.NOTSET)  # the root's level decides
    return fmt
