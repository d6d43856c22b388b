"""Message text encrypted at rest with WERKPAD_ENCRYPTION_KEY: the rows in the database hold
no readable words, the bot reads them as before, old plaintext rows stay readable, keys can
be rotated, and a row whose key is gone does not stop anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services
from bot.content.store import read_directory, store_files
from bot.db import crypto
from bot.db.models import Event
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.errors import SettingsError
from bot.settings import ROOT
from tests.conftest import make_settings
from tests.support.dialog import Chat
from tests.support.fakes import ScriptedNLU

WORDS = "my interview at the IND is on Friday"


@pytest.fixture(autouse=True)
def _no_key_afterwards() -> Iterator[None]:
    yield
    crypto.configure(None)  # the key is process-wide: leave none for the next test


async def chat_with_key(db_engine: AsyncEngine, tmp_path: Path, key: str | None) -> Chat:
    async with make_sessionmaker(db_engine)() as session, session.begin():
        if not (await session.execute(text("SELECT count(*) FROM content_versions"))).scalar():
            await store_files(session, read_directory(ROOT / "flows"), by="test")
    env = {"WERKPAD_ENCRYPTION_KEY": key} if key else {}
    settings = make_settings(tmp_path, **env)
    services = await build_services(settings, engine=db_engine,
                                    nlu=ScriptedNLU().teach("hello", ("greet", 0.95)))
    return Chat(Dialogue(services))


async def raw_texts(db_engine: AsyncEngine) -> list[str]:
    async with db_engine.connect() as conn:
        rows = await conn.execute(text("SELECT text FROM events WHERE text IS NOT NULL"))
        return [r[0] for r in rows]


async def test_text_is_unreadable_in_the_database_and_readable_for_the_bot(
        db_engine: AsyncEngine, tmp_path: Path) -> None:
    chat = await chat_with_key(db_engine, tmp_path, crypto.new_key())
    await chat.agree()
    await chat.say(WORDS)
    stored = await raw_texts(db_engine)
    assert stored and all(value.startswith(crypto.PREFIX) for value in stored)
    assert not any("Friday" in value for value in stored)
    history = await chat.dialogue.history("web", chat.user)
    assert WORDS in [e["text"] for e in history]


async def test_rows_from_before_the_key_and_key_rotation(
        db_engine: AsyncEngine, tmp_path: Path) -> None:
    plain = await chat_with_key(db_engine, tmp_path, None)
    await plain.agree()
    await plain.say("written before any key")
    old_key, new_key = crypto.new_key(), crypto.new_key()
    first = await chat_with_key(db_engine, tmp_path, old_key)
    await first.say("written with the old key")
    rotated = await chat_with_key(db_engine, tmp_path, f"{new_key},{old_key}")
    await rotated.say("written with the new key")
    texts = [e["text"] for e in await rotated.dialogue.history("web", rotated.user)]
    for said in ("written before any key", "written with the old key",
                 "written with the new key"):
        assert said in texts
    # a key that is gone: the row reads as a marker, nothing crashes
    await chat_with_key(db_engine, tmp_path, new_key)
    async with make_sessionmaker(db_engine)() as session:
        read = [e.text for e in (await session.scalars(select(Event))).all()]
    assert crypto.UNREADABLE in read and "written with the new key" in read


def test_a_bad_key_stops_the_start_with_the_fix() -> None:
    with pytest.raises(SettingsError, match="python -m bot keygen"):
        crypto.configure("not-a-key")
