"""Find the real Rasa server the `rasa` tests run against (`make rasa-start`, docs/nlu.md).

Without a server the tests skip, saying how to start one. With WERKPAD_REQUIRE_RASA=1 (CI)
they wait for it instead, up to WERKPAD_RASA_WAIT seconds (CI installs and trains Rasa while
the other tests run), and fail if it never answers.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

DEFAULT_URL = "http://127.0.0.1:5005"
DEFAULT_WAIT_SECONDS = 2400.0

_found: dict[str, str | None] = {}


def rasa_url() -> str:
    """The URL of a Rasa server with a model loaded; else skip (fail: WERKPAD_REQUIRE_RASA=1)."""
    url = os.environ.get("RASA_URL", DEFAULT_URL).rstrip("/")
    required = os.environ.get("WERKPAD_REQUIRE_RASA") == "1"
    if url not in _found:
        wait = float(os.environ.get("WERKPAD_RASA_WAIT", DEFAULT_WAIT_SECONDS)) if required else 0
        _found[url] = _wait_for(url, wait)
    problem = _found[url]
    if problem is None:
        return url
    if required:
        pytest.fail(f"WERKPAD_REQUIRE_RASA=1 but {problem}", pytrace=False)
    pytest.skip(f"{problem}; start one with `make rasa-start` "
                "(WERKPAD_REQUIRE_RASA=1 turns this skip into a failure)")


def _wait_for(url: str, seconds: float) -> str | None:
    """None once `url`/status reports a loaded model, else what was wrong at the deadline.

    CI names the process that installs, trains and starts the server: when it has ended and
    the server still does not answer, the start failed and there is nothing to wait for.
    """
    deadline = time.monotonic() + seconds
    while True:
        problem = _status_problem(url)
        if problem is None or time.monotonic() >= deadline:
            return problem
        if not _starter_alive():
            log = os.environ.get("WERKPAD_RASA_STARTER_LOG", "")
            tail = Path(log).read_text(errors="replace")[-3000:] if log and Path(log).is_file() \
                else ""
            return f"{problem}, and the process starting it has ended; its log ends:\n{tail}"
        time.sleep(5)


def _starter_alive() -> bool:
    pid = os.environ.get("WERKPAD_RASA_STARTER_PID")
    if not pid:
        return True
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    # A finished child of .ci/run stays a zombie until reaped; that is not alive.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _status_problem(url: str) -> str | None:
    try:
        response = httpx.get(f"{url}/status", timeout=3)
        response.raise_for_status()
        status = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return f"no Rasa server answers at {url}/status ({exc.__class__.__name__})"
    if not isinstance(status, dict) or not status.get("model_file"):
        return f"the Rasa server at {url} has no model loaded: {status!r}"
    return None


def needs_rasa(item: pytest.Item) -> bool:
    """Whether a collected test talks to the Rasa server."""
    return item.path.name == "test_rasa_server.py" or "[rasa" in item.nodeid


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """As a plugin (`-p tests.nlu.rasa_server`, .ci/run): run the Rasa tests last.

    CI installs and trains Rasa while the rest of the suite runs; with these last, the suite
    waits for the server only if the server is not ready by the time everything else is done.
    """
    items.sort(key=needs_rasa)  # stable: the order within each group stays as collected
