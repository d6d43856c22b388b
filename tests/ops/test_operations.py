"""/healthz, /readyz and /metrics on the real web app, and who may read the metrics."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import DateTime, Integer, String, insert
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db.session import make_engine
from bot.dialogue.manager import Dialogue
from bot.errors import SettingsError
from bot.flows.model import ContentBundle
from bot.ops.health import check_readiness
from bot.ops.metrics import instrument, refresh_queue
from bot.ops.routes import OpsConfig, build_ops_router
from tests.ops.conftest import VISITOR, MakeClient

TOKEN = "0123456789abcdef0123456789abcdef"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """name + sorted labels -> value, from the Prometheus text format."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def say(client: httpx.AsyncClient, text: str = "", payload: str | None = None) -> None:
    body = {"visitor": VISITOR, "text": text, "payload": payload}
    response = await client.post("/chat/api/message", json=body)
    assert response.status_code == 200, response.text


async def test_healthz_and_readyz_when_all_is_well(make_client: MakeClient) -> None:
    client = await make_client()
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready",
                            "checks": {"database": "ok", "content": "ok", "nlu": "ok"}}


async def test_readyz_is_503_with_a_reason_when_the_database_is_gone(
    make_client: MakeClient, dialogue: Dialogue
) -> None:
    # nothing listens on port 9 of this machine: the connection is refused at once
    dialogue.s.engine = make_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none")
    try:
        response = await (await make_client()).get("/readyz")
    finally:
        await dialogue.s.engine.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["content"] == "ok" and body["checks"]["nlu"] == "ok"
    assert body["reason"].startswith("database: failed (")


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A TCP port that accepts connections and never says a word (a hung database)."""
    held: list[asyncio.StreamWriter] = []

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_hanging_database_makes_readiness_fail_quickly(
    dialogue: Dialogue, silent_server: int
) -> None:
    dialogue.s.engine = make_engine(f"postgresql+asyncpg://nobody@127.0.0.1:{silent_server}/x")
    started = asyncio.get_running_loop().time()
    try:
        readiness = await check_readiness(dialogue, seconds=0.5)
    finally:
        await dialogue.s.engine.dispose()
    assert asyncio.get_running_loop().time() - started < 2.0
    assert not readiness.ready
    assert readiness.reason == "database: timed out after 0.5 s"


async def test_readyz_without_content(make_client: MakeClient, dialogue: Dialogue) -> None:
    dialogue.s.content.bundle = ContentBundle()
    response = await (await make_client()).get("/readyz")
    assert response.status_code == 503
    assert "content: no flows or answers loaded" in response.json()["reason"]


async def test_metrics_count_messages_latency_confidence_and_fallbacks(
    make_client: MakeClient,
) -> None:
    client = await make_client()
    await say(client, "hello")                      # the privacy notice
    await say(client, payload="cmd:consent")         # agreed
    await say(client, "what is a bsn")               # understood (0.91)
    await say(client, "qwxz blorp")                  # not understood: a fallback
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("werkpad_messages_total", (("channel", "web"), ("language", "en")))] == 4
    assert found[("werkpad_dialogue_handle_seconds_count", (("channel", "web"),))] == 4
    assert found[("werkpad_fallbacks_total", ())] == 1
    confidence = (("engine", "scripted"),)
    # the questions after consent are parsed: 0.91 above 0.9, the gibberish at 0.1
    parsed = found[("werkpad_nlu_confidence_count", confidence)]
    assert parsed >= 2
    assert found[("werkpad_nlu_confidence_bucket", (*confidence, ("le", "0.1")))] == 1
    assert parsed - found[("werkpad_nlu_confidence_bucket", (*confidence, ("le", "0.9")))] >= 1
    # readiness probes do not show up as parses
    await client.get("/readyz")
    again = samples((await client.get("/metrics")).text)
    assert again[("werkpad_nlu_confidence_count", confidence)] == found[
        ("werkpad_nlu_confidence_count", confidence)]


async def test_instrumenting_twice_measures_once(make_client: MakeClient,
                                                 dialogue: Dialogue) -> None:
    metrics = instrument(dialogue)  # build_web_app did it already
    assert instrument(dialogue) is metrics
    client = await make_client()
    await say(client, "hello")
    found = samples((await client.get("/metrics")).text)
    assert found[("werkpad_messages_total", (("channel", "web"), ("language", "en")))] == 1


async def test_metrics_are_refused_to_other_hosts(make_client: MakeClient) -> None:
    response = await (await make_client("203.0.113.7")).get("/metrics")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert (await (await make_client("::1")).get("/metrics")).status_code == 200


async def test_with_a_token_every_scrape_needs_it(dialogue: Dialogue) -> None:
    from fastapi import FastAPI

    app = FastAPI()
    app.include_router(build_ops_router(dialogue, instrument(dialogue),
                                        OpsConfig(metrics_token=TOKEN)))

    async def get(host: str, auth: str | None) -> int:
        transport = httpx.ASGITransport(app=app, client=(host, 1))
        headers = {"Authorization": auth} if auth else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return (await client.get("/metrics", headers=headers)).status_code

    assert await get("10.0.0.5", f"Bearer {TOKEN}") == 200
    assert await get("10.0.0.5", f"bearer {TOKEN}") == 200
    assert await get("10.0.0.5", "Bearer wrong-token-wrong-token") == 403
    assert await get("10.0.0.5", TOKEN) == 403
    assert await get("127.0.0.1", None) == 403  # a local proxy must not open it up


def test_metrics_token_must_be_strong() -> None:
    assert OpsConfig.from_env({}).metrics_token is None
    assert OpsConfig.from_env({"METRICS_TOKEN": f" {TOKEN} "}).metrics_token == TOKEN
    for weak in ("secret", "short-token"):
        with pytest.raises(SettingsError, match="METRICS_TOKEN"):
            OpsConfig.from_env({"METRICS_TOKEN": weak})


class _Base(DeclarativeBase):
    pass


class _Ticket(_Base):
    """The columns the gauges read, as bot/handoff/models.py defines them (own table here)."""

    __tablename__ = "ops_test_tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def test_queue_gauges_read_the_waiting_tickets(
    dialogue: Dialogue, db_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics = instrument(dialogue)
    await refresh_queue(dialogue, metrics)  # before bot.handoff exists (or with no tickets)
    assert metrics.queue_waiting._value.get() == 0

    module = types.ModuleType("bot.handoff.models")
    module.Ticket = _Ticket  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "bot.handoff.models", module)
    now = datetime.now(UTC)
    async with db_engine.begin() as conn:
        await conn.run_sync(_Base.metadata.create_all)
        await conn.execute(insert(_Ticket), [
            {"id": 1, "status": "waiting", "created_at": now - timedelta(minutes=30)},
            {"id": 2, "status": "waiting", "created_at": now - timedelta(minutes=5)},
            {"id": 3, "status": "claimed", "created_at": now - timedelta(hours=3)},
            {"id": 4, "status": "closed", "created_at": now - timedelta(days=2)},
        ])
    await refresh_queue(dialogue, metrics)
    assert metrics.queue_waiting._value.get() == 2
    assert 30 * 60 <= metrics.queue_oldest._value.get() < 31 * 60
