"""A real web chat in a real headless Chromium: the app served by uvicorn on 127.0.0.1.

The server runs the whole bot (fresh SQLite database, migrations, the content in flows/, the
embedded NLU) in a background thread with its own event loop, so that the tests can drive
Playwright's sync API from the main thread. Chromium is Debian's `chromium` package; Playwright
never downloads a browser here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from bot.app import build_services, build_web_app
from bot.content.store import read_directory, store_files
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.handoff.relay import Relay
from bot.nlu.base import NLUEngine
from bot.settings import ROOT, load_settings

logger = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE: ViewportSize = {"width": 360, "height": 740}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
STARTUP_SECONDS = 180  # migrations and content; the NLU is trained before (real_nlu)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; outside CI a machine without it skips, in CI it must be there."""
    if CHROMIUM.exists():
        return CHROMIUM
    if in_ci():
        pytest.fail(f"{CHROMIUM} is missing and CI is set: the browser tests must run in CI; "
                    "install it with `apt-get install -y chromium` (.ci/run does)")
    pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package: "
                "apt-get install -y chromium); these tests need a real browser")


@dataclass
class LiveServer:
    url: str
    database: Path


class _ServerThread(threading.Thread):
    """uvicorn plus the whole bot on its own event loop, in a daemon thread."""

    def __init__(self, sock: socket.socket, database: Path, nlu: NLUEngine) -> None:
        super().__init__(name="web-chat-server", daemon=True)
        self.sock = sock
        self.database = database
        self.nlu = nlu
        self.server: uvicorn.Server | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        # Broad on purpose, SystemExit included (uvicorn exits when it cannot start): the
        # error is logged and handed to the main thread, which fails the fixture with it.
        except (Exception, SystemExit) as exc:
            logger.exception("the web chat server stopped")
            self.error = exc

    async def _serve(self) -> None:
        url = f"sqlite+aiosqlite:///{self.database}"
        settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": url})
        engine = make_engine(url)
        try:
            await upgrade(engine)
            files = read_directory(settings.path(settings.content.dir))
            async with make_sessionmaker(engine)() as session, session.begin():
                await store_files(session, files, by="browser-test")
            services = await build_services(settings, engine=engine, nlu=self.nlu)
            app = build_web_app(settings, Dialogue(services))
            # as `run` does: the relay delivers coaches' messages to the people
            relay = asyncio.create_task(Relay(services, interval=0.5).run_forever())
            self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
            try:
                await self.server.serve(sockets=[self.sock])
            finally:
                relay.cancel()
        finally:
            await engine.dispose()

    def wait_started(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not (self.server is not None and self.server.started):
            if self.error is not None or not self.is_alive():
                raise RuntimeError(f"the web chat did not start: {self.error!r}") from self.error
            if time.monotonic() > deadline:
                raise RuntimeError(f"the web chat did not start within {timeout} s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        self.join(timeout=15)


@pytest.fixture(scope="module")
def live_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory, real_nlu: NLUEngine
) -> Iterator[LiveServer]:
    """The whole web app on 127.0.0.1, on a free port, against a fresh SQLite database. The
    NLU is trained before the server starts (the real_nlu fixture), outside its deadline."""
    database = tmp_path_factory.mktemp("browser") / "werkpad.sqlite3"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, held from here on so nobody else takes it
    port = sock.getsockname()[1]
    thread = _ServerThread(sock, database, real_nlu)
    thread.start()
    try:
        thread.wait_started(STARTUP_SECONDS)
        yield LiveServer(url=f"http://127.0.0.1:{port}/", database=database)
    finally:
        thread.stop()
        sock.close()


# Module scope, not session: while Playwright's sync API is open, its event loop counts as
# running in this thread, and every async test after it would fail to start its own loop.
@pytest.fixture(scope="module")
def playwright_driver(chromium: Path) -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright, chromium: Path) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(
        executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone (new storage, so a new visitor): 360x740, touch, English browser."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="en-US", color_scheme="light",
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(phone: BrowserContext, live_server: LiveServer) -> Iterator[Page]:
    """The chat page on the phone; fails the test on any script error in the page."""
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url)
    yield page
    assert not errors, f"the page logged errors: {errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder for this run's screenshots, emptied of the last run's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS
