"""/forget leaves nothing on disk (issue 15 item 6): SQLite runs with secure_delete, so the
freed pages are overwritten, and the write-ahead log is checkpointed and truncated after the
person is deleted, so the old frames with their words do not stay in the -wal file.

Scanned as bytes: the database file and its WAL, without an encryption key (the worst case).
"""

from __future__ import annotations

from pathlib import Path

from bot.app import build_services
from bot.content.store import read_directory, store_files
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import ROOT, load_settings
from tests.support.dialog import Chat
from tests.support.fakes import ScriptedNLU

MARKER = "Zebra-Passport-Marker-4711"


def on_disk(path: Path) -> bytes:
    found = b""
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            found += name.read_bytes()
    return found


async def test_forgotten_words_are_in_neither_the_database_file_nor_its_wal(
        tmp_path: Path) -> None:
    path = tmp_path / "forget.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    engine = make_engine(url)
    await upgrade(engine)
    async with make_sessionmaker(engine)() as session, session.begin():
        await store_files(session, read_directory(ROOT / "flows"), by="test")
    settings = load_settings(ROOT / "config.yml", env={"DATABASE_URL": url})
    nlu = ScriptedNLU().teach("hello", ("greet", 0.95))
    dialogue = Dialogue(await build_services(settings, engine=engine, nlu=nlu))
    chat = Chat(dialogue, user="on-disk")
    await chat.agree()
    for n in range(5):
        await chat.say(f"my boss keeps my passport {MARKER} {n}")
    assert MARKER.encode() in on_disk(path)  # the scan can see it while it is kept
    await chat.say("/forget")
    await chat.press("cmd:forget_yes")
    chat.expect("I deleted everything")
    assert MARKER.encode() not in on_disk(path)
    await engine.dispose()
