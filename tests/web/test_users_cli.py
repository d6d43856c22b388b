"""`python -m bot users add`: a console user from the command line."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.__main__ import main
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.web import accounts
from bot.web.models import User


async def _migrate(url: str) -> None:
    engine = make_engine(url)
    await upgrade(engine)
    await engine.dispose()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite file; the CLI runs its own event loop, so these tests are sync."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    asyncio.run(_migrate(url))
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def run(monkeypatch: pytest.MonkeyPatch, password: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["users", "add", "--password-stdin", *args])


def users(url: str) -> list[User]:
    async def read() -> list[User]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                return list((await session.scalars(select(User).order_by(User.id))).all())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_add_an_admin_and_a_coach(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(monkeypatch, "a long admin password", "--role", "admin", "--name", "Ada",
               "--email", "Ada@Example.org")
    assert code == 0
    assert "added admin ada@example.org" in capsys.readouterr().out
    code = run(monkeypatch, "a long coach password", "--role", "coach", "--name", "Cas",
               "--email", "cas@example.org", "--telegram-id", "12345", "--languages", "ar,nl",
               "--regions", "Groot Amsterdam", "--teams", "default")
    assert code == 0
    admin, coach = users(database)
    assert (admin.role, admin.email, admin.telegram_id) == ("admin", "ada@example.org", None)
    assert (coach.role, coach.telegram_id, coach.languages, coach.regions, coach.teams) == (
        "coach", 12345, "ar,nl", "Groot Amsterdam", "default")
    assert coach.password_hash.startswith("$argon2id$")
    assert accounts.verify_password(coach.password_hash, "a long coach password")


def test_bad_input_adds_nobody(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, "short", "--role", "admin", "--name", "A",
               "--email", "a@example.org") == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert run(monkeypatch, "a long enough password", "--role", "coach", "--name", "C",
               "--email", "c@example.org", "--languages", "xx") == 1
    assert "unknown language code" in capsys.readouterr().err
    assert run(monkeypatch, "a long enough password", "--role", "coach", "--name", "C",
               "--email", "c@example.org", "--teams", "default,atlantis") == 1
    assert "unknown team(s) atlantis" in capsys.readouterr().err
    assert run(monkeypatch, "a long enough password", "--role", "admin", "--name", "A",
               "--email", "a@example.org") == 0
    assert run(monkeypatch, "a long enough password", "--role", "admin", "--name", "A",
               "--email", "A@example.org") == 1
    assert "already a user" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(monkeypatch, "a long enough password", "--role", "root", "--name", "R",
            "--email", "r@example.org")
    assert len(users(database)) == 1
