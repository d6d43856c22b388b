"""PostgreSQL restarted while Werkpad runs: the person hears a kind "try again in a moment"
(nothing crashes, no 500), and once the database is back the same process answers again,
without a restart.

The test runs its own PostgreSQL server (initdb in a temporary folder, a free port), so
stopping it touches nobody else's tests. It is skipped where the PostgreSQL server binaries
or the `postgres` system user are missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_services, build_web_app
from bot.content.store import read_directory, store_files
from bot.content.strings import Strings
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import ROOT
from tests.conftest import make_settings
from tests.support.fakes import ScriptedNLU

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(
    not BIN or shutil.which("runuser") is None, reason="needs PostgreSQL server binaries")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.bin = BIN[-1]

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       capture_output=True, timeout=60)

    def init(self) -> None:
        self.folder.mkdir(parents=True)
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(f"{self.bin}/initdb", "-D", str(self.folder / "data"), "-A", "trust",
                          "-U", "postgres")

    def start(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", str(self.folder / "data"), "-w", "-l",
                          str(self.folder / "log"), "-o",
                          f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
                          "start")

    def stop(self) -> None:
        self._as_postgres(f"{self.bin}/pg_ctl", "-D", str(self.folder / "data"), "-w",
                          "-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PrivateServer]:
    folder = Path("/tmp") / f"werkpad-pg-{os.getpid()}-{free_port()}"
    pg = PrivateServer(folder)
    try:
        pg.init()
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot run a private PostgreSQL here: {exc}")
    pg.start()
    try:
        yield pg
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def say(client: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await client.post("/chat/api/message", json={"visitor": "r" * 24, **body})


async def test_postgres_restart_during_a_conversation(server: PrivateServer,
                                                      tmp_path: Path) -> None:
    engine = make_engine(server.url)
    await upgrade(engine)
    async with make_sessionmaker(engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    settings = make_settings(tmp_path)
    nlu = ScriptedNLU().teach("hello", ("greet", 0.95)).teach(
        "what is a bsn", ("documents/bsn", 0.91))
    services = await build_services(settings, engine=engine, nlu=nlu)
    app = build_web_app(settings, Dialogue(services))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await say(client, text="hello")).status_code == 200
        assert (await say(client, payload="cmd:consent")).status_code == 200

        server.stop()
        down = await say(client, text="what is a bsn", lang="ar")
        assert down.status_code == 200  # the page gets an answer it can show, not a 500
        [reply] = down.json()["replies"]
        # in the language the page asked for (Arabic here), from the UI catalog
        assert reply["text"] == Strings.load().get("error.generic", "ar").text
        assert reply["language"] == "ar"
        ready = await client.get("/readyz")
        assert ready.status_code == 503

        server.start()
        for _ in range(50):  # the pool notices the new server on its next checkout
            back = await say(client, text="what is a bsn")
            if back.status_code == 200 and "BSN" in " ".join(
                    r["text"] for r in back.json()["replies"]):
                break
            await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"no normal answer after the restart: {back.text[:300]}")
        assert (await client.get("/readyz")).status_code == 200
    await engine.dispose()
