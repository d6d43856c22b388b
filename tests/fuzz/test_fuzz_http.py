"""Fuzz: the web chat API and the Telegram webhook never answer 5xx and never crash.

Both run in-process (httpx.ASGITransport) on the real app: the web chat through
build_web_app with the real Dialogue, content and embedded NLU; the webhook through the real
endpoint and update ledger. SQLite only (the database is not what is fuzzed). Each test keeps
one event loop for all its examples.
"""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from bot.app import build_services, build_web_app, load_nlu
from bot.content.store import read_directory, store_files
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import ROOT
from tests.conftest import make_settings

CHAT_EXAMPLES = 3000
WEBHOOK_EXAMPLES = 2500
SECRET = "fuzz-webhook-secret-0123456789"
FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


class Loop:
    """One event loop for a whole fuzz test; `run` runs a coroutine on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()


@pytest.fixture
def loop() -> Iterator[Loop]:
    runner = Loop()
    yield runner
    runner.close()


@pytest.fixture
def db_dir(tmp_path: Path) -> Iterator[Path]:
    """In memory (tmpfs) when the machine has one: thousands of commits, no disk waits."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="werkpad-fuzz-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


async def _engine(folder: Path) -> Any:
    engine = make_engine(f"sqlite+aiosqlite:///{folder / 'fuzz.sqlite3'}")
    await upgrade(engine)
    async with make_sessionmaker(engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    return engine


@dataclass(frozen=True)
class Huge:
    """A body of `size` filler bytes between `head` and `tail`, made only when sent (hypothesis
    keeps a repr of every example: a megabyte each would dominate the run)."""

    head: bytes
    size: int
    tail: bytes

    def build(self) -> bytes:
        return self.head + b"a" * self.size + self.tail


def body_bytes(body: bytes | Huge) -> bytes:
    return body.build() if isinstance(body, Huge) else body


# --- the web chat API ------------------------------------------------------------------------

EDGE_TEXTS = [
    "", " ", "\x00", "\ufeff", "\u202eevil", "a\u0301" * 3000, "\U0001f469\u200d\U0001f4bb" * 500,
    "\ud800", "\udfff\ud800", "ﷺ" * 2000, "𒐫" * 1000, "\n" * 5000, "<script>alert(1)</script>",
    "{{7*7}}", "' OR 1=1 --", "cmd:forget", "cmd:consent", "intent:can_i_work", "\u0000cmd:menu",
    "x" * 19_000, "ب" * 9000, "ሰላም" * 2000,
]
visitors = st.one_of(
    st.just("fuzz-visitor-0000000001"), st.just("fuzz-visitor-0000000002"),
    st.from_regex(r"[A-Za-z0-9_-]{16,64}", fullmatch=True),
    st.text(max_size=70), st.integers(), st.none(), st.lists(st.integers(), max_size=2),
)
texts = st.one_of(
    st.sampled_from(EDGE_TEXTS),
    st.text(st.characters(exclude_categories=()), max_size=200),  # lone surrogates included
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 8000)),
    st.integers(), st.floats(), st.none(), st.booleans(), st.lists(st.text(max_size=5)),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
payloads = st.one_of(
    st.none(), st.sampled_from(["cmd:consent", "cmd:menu", "cmd:forget", "cmd:privacy",
                                "intent:can_i_work", "answer:yes", "lang:ar", "lang:xx",
                                "flow:may_i_work", "cmd:", ":", "x" * 65, "ü" * 40]),
    st.text(max_size=70), st.integers(),
)
messages = st.fixed_dictionaries(
    {"visitor": visitors},
    optional={"text": texts, "payload": payloads,
              "lang": st.one_of(st.sampled_from(["ar", "ti", "ckb", "xx", "", "en-US"]),
                                st.text(max_size=8), st.integers()),
              "message_id": st.one_of(st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
                                      st.text(max_size=70), st.integers()),
              "extra": st.text(max_size=10)},
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
good_texts = st.one_of(
    st.sampled_from(EDGE_TEXTS),
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=200),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 8000)),
)
people = st.sampled_from([f"fuzz-visitor-{n:010d}" for n in range(5)])
good_messages = st.fixed_dictionaries(
    {"visitor": people, "text": good_texts},
    optional={"payload": st.sampled_from(["cmd:consent", "cmd:menu", "intent:can_i_work",
                                          "answer:yes", "lang:ar", "cmd:forget", "bogus:1"]),
              "lang": st.sampled_from(["ar", "ti", "ckb", "xx", "en-US", "ps", "so"])},
)
chat_bodies = st.one_of(
    good_messages.map(lambda m: json.dumps(m, ensure_ascii=True).encode()),
    good_messages.map(lambda m: json.dumps(m, ensure_ascii=True).encode()),
    good_messages.map(lambda m: json.dumps(m, ensure_ascii=True).encode()),
    messages.map(lambda m: json.dumps(m, ensure_ascii=True).encode()),
    messages.map(lambda m: json.dumps(m, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.integers(20_000, 40_000).map(lambda n: Huge(b'{"visitor": "', n, b'"}')),
)


@given(body=chat_bodies, content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]))
@settings(parent=FUZZ, max_examples=CHAT_EXAMPLES)
def test_the_web_chat_api_never_answers_5xx(body: bytes | Huge, content_type: str,
                                            chat_client: httpx.AsyncClient,
                                            loop: Loop) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = loop.run(chat_client.post("/chat/api/message", content=body_bytes(body),
                                         headers=headers))
    event(f"status {response.status_code}")
    assert response.status_code < 500, (response.status_code, response.text[:300])
    answer = response.json()
    if response.status_code == 200:
        assert isinstance(answer["replies"], list)
        assert all(isinstance(r["text"], str) and r["text"] for r in answer["replies"])
    else:
        assert response.status_code in (413, 422) and isinstance(answer["error"], str)


@pytest.fixture
def chat_client(loop: Loop, db_dir: Path, nlu_engine: Any) -> Iterator[httpx.AsyncClient]:
    settings = make_settings(db_dir)
    # hundreds of bodies from one address in seconds: the chat's limits (tested on their own
    # in tests/channels/web/test_web_chat_limits.py) are lifted so every body reaches the parser
    settings = settings.model_copy(update={"chat": settings.chat.model_copy(update={
        "messages_per_minute": 100_000, "messages_per_address_per_minute": 1_000_000})})

    async def build() -> httpx.AsyncClient:
        engine = await _engine(db_dir)
        services = await build_services(settings, engine=engine, nlu=nlu_engine)
        app = build_web_app(settings, Dialogue(services))
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver")

    client = loop.run(build())
    yield client
    loop.run(client.aclose())


@pytest.fixture(scope="module")
def nlu_engine() -> Any:
    return load_nlu(make_settings(ROOT))


# --- the Telegram webhook --------------------------------------------------------------------

def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any],
           tenths: int = 8) -> st.SearchStrategy[Any]:
    """`good` in `tenths` of ten draws, else `bad` (one_of merges repeated strategies)."""
    return st.integers(0, 9).flatmap(lambda n: good if n < tenths else bad)


good_ids = st.integers(1, 2**31)
ids = mostly(good_ids, st.one_of(st.integers(), st.text(max_size=5), st.none(), st.floats(),
                                 st.booleans()))
users = st.fixed_dictionaries({"id": ids, "is_bot": st.booleans() | st.none(),
                               "first_name": st.text(max_size=10) | st.integers()},
                              optional={"language_code": st.text(max_size=6)})
chats = st.fixed_dictionaries({"id": ids, "type": mostly(st.just("private"), st.sampled_from(
    ["group", "supergroup", "channel", "", "weird"]) | st.integers())})
message = st.fixed_dictionaries(
    {"message_id": ids, "date": st.integers(-(2**40), 2**40) | st.text(max_size=3),
     "chat": mostly(chats, st.none() | st.text(max_size=3), 9)},
    optional={"from": users, "text": texts, "location": st.fixed_dictionaries(
        {"latitude": st.floats(), "longitude": st.floats()}),
        "photo": st.lists(st.dictionaries(st.text(max_size=5), ids, max_size=3), max_size=2),
        "entities": st.lists(st.dictionaries(st.text(max_size=6), ids, max_size=3), max_size=2),
        "message_thread_id": ids},
)
updates = st.fixed_dictionaries(
    {"update_id": mostly(good_ids, ids, 9)},
    optional={"message": mostly(message, json_values), "edited_message": message,
              "callback_query": st.fixed_dictionaries(
                  {"id": st.text(max_size=5) | st.integers(), "from": users,
                   "chat_instance": st.text(max_size=5)},
                  optional={"data": texts, "message": message}),
              "my_chat_member": json_values},
)
webhook_bodies = st.one_of(
    updates.map(lambda u: json.dumps(u).encode()),
    updates.map(lambda u: json.dumps(u, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.integers(1 << 20, (1 << 20) + 5000).map(
        lambda n: Huge(b'{"update_id": 1, "x": "', n, b'"}')),
)
secrets = mostly(st.just(SECRET), st.none() | st.just(SECRET + "x")
                 | st.text(st.characters(max_codepoint=255), max_size=10))


@given(body=webhook_bodies, secret=secrets)
@settings(parent=FUZZ, max_examples=WEBHOOK_EXAMPLES)
def test_the_telegram_webhook_never_answers_5xx(
    body: bytes | Huge, secret: str | None,
    webhook: tuple[httpx.AsyncClient, asyncio.Queue[object]], loop: Loop,
) -> None:
    client, queue = webhook
    body = body_bytes(body)
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    try:
        response = loop.run(client.post("/telegram/hook", content=body, headers=headers))
    except UnicodeEncodeError:
        return  # httpx itself refuses a header that is not latin-1: nothing reached the app
    event(f"status {response.status_code}")
    assert response.status_code in (200, 400, 403, 413), (response.status_code, body[:200])
    if secret != SECRET:
        assert response.status_code == 403
    while not queue.empty():  # what the application would handle next
        queue.get_nowait()


@functools.cache
def offline_bot() -> Any:
    """One PTB Bot for reading updates (making one loads the TLS certificates: 60 ms)."""
    from telegram import Bot

    return Bot("123456:fuzz-token")


def known_webhook_bug(body: bytes) -> str | None:
    """Why this body once got a 500 from bot/channels/telegram/webhook.py, if it would have."""
    if len(body) > (1 << 20):
        return None  # refused by size first
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return "the JSON is not an object"
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return "update_id is missing or not a number"
    if not -(2**63) <= update_id < 2**63:
        return "update_id is beyond 64 bits"
    from telegram import Update

    try:
        Update.de_json(data, offline_bot())
    except AttributeError:
        return "a field of the update has the wrong JSON type"
    except (ValueError, TypeError, KeyError):
        return None  # the endpoint answers these with 400
    return None


@pytest.fixture
def webhook(
    loop: Loop, db_dir: Path
) -> Iterator[tuple[httpx.AsyncClient, asyncio.Queue[object]]]:
    from bot.channels.telegram.ledger import Ledger
    from bot.channels.telegram.webhook import make_endpoint

    async def build() -> tuple[httpx.AsyncClient, asyncio.Queue[object]]:
        engine = await _engine(db_dir)
        queue: asyncio.Queue[object] = asyncio.Queue()
        endpoint = make_endpoint(offline_bot(), Ledger(make_sessionmaker(engine)),
                                 queue, SECRET)
        app = Starlette(routes=[Route("/telegram/hook", endpoint, methods=["POST"])])
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                   base_url="http://testserver")
        return client, queue

    client, queue = loop.run(build())
    yield client, queue
    loop.run(client.aclose())


# Bodies the fuzz test found answered with 500 before webhook.py checked the update's shape.
WEBHOOK_BUGS = {
    "a JSON list": b"[]",
    "JSON null": b"null",
    "update_id null": b'{"update_id": null}',
    "a message that is not an object": b'{"update_id": 7, "message": true}',
    "an update_id beyond 64 bits": b'{"update_id": 1180591620717411303424}',
}


@pytest.mark.parametrize("body", WEBHOOK_BUGS.values(), ids=WEBHOOK_BUGS.keys())
def test_bodies_that_once_crashed_the_webhook_answer_400(
    body: bytes, webhook: tuple[httpx.AsyncClient, asyncio.Queue[object]], loop: Loop
) -> None:
    assert known_webhook_bug(body) is not None
    client, _queue = webhook
    response = loop.run(client.post("/telegram/hook", content=body,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}))
    assert response.status_code == 400
