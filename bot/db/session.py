"""Engine and session factory; one session per message or request."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

logger = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """Create the async engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # SQLite has one writer: more connections only make them queue in its busy handler
        engine = create_async_engine(
            url, echo=echo, connect_args={"timeout": 30},
            pool_size=1, max_overflow=0, pool_timeout=120,
            hide_parameters=True,  # errors must not carry what people wrote into the logs
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # deleted rows are overwritten on disk, not only unlinked (/forget, retention)
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_async_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10,
                               hide_parameters=True)  # no message text in error logs


async def checkpoint_after_delete(engine: AsyncEngine) -> None:
    """SQLite: copy the write-ahead log into the database and truncate it, so the frames that
    still hold deleted rows leave the -wal file (after /forget). Nothing on PostgreSQL,
    whose WAL and dead tuples are the server's (VACUUM; docs/operations.md)."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        busy = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).first()
    if busy is not None and busy[0]:
        logger.warning("the WAL checkpoint after a deletion was busy; SQLite retries it later")


def pool_capacity(engine: AsyncEngine) -> int:
    """How many sessions can hold a connection at once (the dialogue queues the rest)."""
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", lambda: 5)()
    return max(1, size + max(0, getattr(pool, "_max_overflow", 0)))


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
