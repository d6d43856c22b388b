"""Run `python -m bot run` as a separate process against the fake Bot API.

Used by the kill -9 test and by benchmarks/telegram_bench.py. The process gets its own
config.yml (a free web port) and database; the NLU cache under var/ is shared.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.store import read_directory, store_files
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.settings import ROOT, normalise_database_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def prepare_database(url: str) -> None:
    """Migrate and import the real flows/ content, as `db upgrade` + `content import` do,
    and train the NLU into the shared cache once, as `nlu train` does before a deployment
    starts its processes: on a fresh checkout each process would otherwise train it anew at
    start (about 2 minutes each, side by side, on two cores)."""
    engine = make_engine(normalise_database_url(url))
    try:
        await upgrade(engine)
        async with make_sessionmaker(engine)() as session, session.begin():
            await store_files(session, read_directory(ROOT / "flows"), by="test")
    finally:
        await engine.dispose()
    training = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "nlu", "train", cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(training.communicate(), 900)
    if training.returncode != 0:
        raise RuntimeError("nlu train failed:\n" + out.decode(errors="replace")[-2000:])


@dataclass
class BotProcess:
    workdir: Path
    env: dict[str, str]
    web_port: int
    runs: int = 0
    process: asyncio.subprocess.Process | None = field(default=None, repr=False)

    @classmethod
    def configure(cls, workdir: Path, *, api_base: str, token: str, database_url: str,
                  webhook_url: str | None = None, webhook_secret: str | None = None,
                  ) -> BotProcess:
        config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        port = free_port()
        config["web"] = {"host": "127.0.0.1", "port": port}
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env |= {
            "WERKPAD_CONFIG": str(workdir / "config.yml"), "DATABASE_URL": database_url,
            "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": api_base,
            "PYTHONUNBUFFERED": "1",
        }
        if webhook_url:
            env |= {"TELEGRAM_WEBHOOK_URL": webhook_url,
                    "TELEGRAM_WEBHOOK_SECRET": webhook_secret or ""}
        return cls(workdir, env, port)

    async def start(self) -> None:
        self.runs += 1
        log = (self.workdir / f"bot-{self.runs}.log").open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=self.env,
            stdout=log, stderr=asyncio.subprocess.STDOUT)
        log.close()

    def kill_9(self) -> None:
        """SIGKILL: no cleanup, no last getUpdates, no finally blocks."""
        if self.process is not None and self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGKILL)

    async def wait(self) -> int:
        assert self.process is not None
        return await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                self.kill_9()
                await self.process.wait()

    def peak_memory_kib(self) -> int | None:
        """VmHWM of the running process (Linux)."""
        if self.process is None:
            return None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the process has used so far (Linux)."""
        if self.process is None:
            return None
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")
                         for p in sorted(self.workdir.glob("bot-*.log")))
