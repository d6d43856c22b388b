"""Login-flood benchmark: web-chat latency while 30 clients guess console passwords.

    .venv/bin/python benchmarks/login_flood.py                  # SQLite, 30 guessers, 20 s
    .venv/bin/python benchmarks/login_flood.py --postgres --guessers 30 --seconds 20

Starts `python -m bot web` as its own process (a copy of config.yml on a free port, a fresh
database, migrations and the flows/ content imported, one coach account), as it runs in
production. Then, from this process:

1. quiet: one web-chat visitor after another sends "what is a BSN" (sequentially) for
   `--seconds`; the round-trip of each POST /chat/api/message is timed;
2. flood: the same, while `--guessers` clients each POST wrong passwords to /console/login
   as fast as the server answers them (half for the coach's address, half for unknown ones).
   They all come from 127.0.0.1, so the per-address limit answers most of them with 429 at
   once; `--per-ip 1000000` lifts it, standing for a flood from many addresses, where only
   the bounded password checks (console.login_checks_*) protect the chat.

It prints p50/p95/max of the web-chat round-trip in both phases, how many sign-in attempts
the server answered and with which status codes, and the server's CPU time. The goal
(issue 15): the web chat's p95 stays under 100 ms during a 30-way flood.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/test"
COACH = "coach@bench.example"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_cli(env: dict[str, str], *args: str, stdin: bytes | None = None) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdin=asyncio.subprocess.PIPE if stdin is not None else None,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await proc.communicate(stdin)
    if proc.returncode != 0:
        raise SystemExit(f"bot {' '.join(args)} failed:\n{out.decode(errors='replace')[-2000:]}")


async def chat_loop(client: httpx.AsyncClient, stop: asyncio.Event) -> list[float]:
    timings: list[float] = []
    while not stop.is_set():
        visitor = "bench-" + secrets.token_hex(10)
        for text in ("hello", "yes", "what is a BSN", "what is a BSN"):
            started = time.perf_counter()
            response = await client.post("/chat/api/message",
                                         json={"visitor": visitor, "text": text, "lang": "en"})
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            if stop.is_set():
                break
    return timings


async def guesser(base: str, n: int, stop: asyncio.Event, statuses: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        page = await client.get("/console/login")
        match = TOKEN_RE.search(page.text)
        if match is None:
            raise SystemExit("no csrf token on the sign-in page")
        token = match.group(1)
        email = COACH if n % 2 == 0 else f"nobody{n}@bench.example"
        while not stop.is_set():
            response = await client.post("/console/login", data={
                "csrf_token": token, "email": email, "password": secrets.token_hex(8),
                "next": "/console/"})
            statuses[response.status_code] += 1
            # each answer to a failed sign-in is a new form with a new token (and cookie)
            match = TOKEN_RE.search(response.text)
            if match is not None:
                token = match.group(1)


async def phase(base: str, seconds: float, guessers: int) -> tuple[list[float], Counter[int]]:
    stop = asyncio.Event()
    statuses: Counter[int] = Counter()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        flood = [asyncio.create_task(guesser(base, n, stop, statuses)) for n in range(guessers)]
        chat = asyncio.create_task(chat_loop(client, stop))
        await asyncio.sleep(seconds)
        stop.set()
        timings = await chat
        await asyncio.gather(*flood)
    return timings, statuses


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--guessers", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--per-ip", type=int, default=None,
                        help="console.login_attempts_per_ip for the server (all guessers come "
                             "from 127.0.0.1: a high value stands for a flood from many "
                             "addresses; default: config.yml's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="werkpad-login-flood-") as tmp:
        port = free_port()
        config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        config["web"]["port"] = port
        if args.per_ip is not None:
            config["console"]["login_attempts_per_ip"] = args.per_ip
        (Path(tmp) / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        database = "bench_login_" + secrets.token_hex(4)
        if args.postgres:
            import asyncpg  # a fresh database on the test server, dropped at the end

            conn = await asyncpg.connect(ADMIN_DSN)
            await conn.execute(f"CREATE DATABASE {database}")
            await conn.close()
            url = POSTGRES.rsplit("/", 1)[0] + "/" + database
        else:
            url = f"sqlite+aiosqlite:///{tmp}/werkpad.sqlite3"
        env = {**os.environ, "WERKPAD_CONFIG": f"{tmp}/config.yml", "DATABASE_URL": url,
               "WEB_SECRET_KEY": secrets.token_hex(32)}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        await run_cli(env, "db", "upgrade")
        await run_cli(env, "content", "import")
        await run_cli(env, "users", "add", "--role", "coach", "--name", "Bench Coach",
                      "--email", COACH, "--password-stdin", stdin=b"correct horse battery\n")
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "web", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=5) as probe:
                for _ in range(1800):
                    try:
                        if (await probe.get("/")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
                else:
                    raise SystemExit("the web app did not start within 180 s")
            await phase(base, 2, 0)  # warm-up: first parses, first connections
            print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; "
                  f"{args.guessers} guessers; {args.seconds:.0f} s per phase; sign-in attempts "
                  f"per address: {config['console']['login_attempts_per_ip']}")
            for name, guessers in (("quiet", 0), ("flood", args.guessers)):
                cpu = cpu_seconds(server.pid)
                started = time.perf_counter()
                timings, statuses = await phase(base, args.seconds, guessers)
                wall = time.perf_counter() - started
                cpu = cpu_seconds(server.pid) - cpu
                attempts = sum(statuses.values())
                print(f"{name:>5}: web chat n={len(timings)} p50={statistics.median(timings):.1f} "
                      f"p95={percentile(timings, 0.95):.1f} max={max(timings):.1f} ms; "
                      f"sign-in attempts answered: {attempts} ({attempts / wall:.1f}/s) "
                      f"{dict(sorted(statuses.items()))}; server CPU {cpu / wall * 100:.0f} %")
        finally:
            server.terminate()
            await server.wait()
            if args.postgres:
                conn = await asyncpg.connect(ADMIN_DSN)
                await conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
                await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
