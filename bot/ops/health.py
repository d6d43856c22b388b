"""Readiness: can this process serve a message right now?

Three checks, each with a short time limit so a hanging database cannot hang the probe:
the database answers `SELECT 1`, the content has flows and answers, the NLU parses a word.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field

from sqlalchemy import text

from bot.dialogue.manager import Dialogue

logger = logging.getLogger(__name__)

CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The failed checks, e.g. "database: timed out after 2.0 s"."""
        return "; ".join(f"{name}: {value}" for name, value in self.checks.items()
                         if value != "ok")

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"status": "ready" if self.ready else "not_ready",
                                   "checks": self.checks}
        if not self.ready:
            body["reason"] = self.reason
        return body


async def check_readiness(dialogue: Dialogue, *, seconds: float = CHECK_SECONDS) -> Readiness:
    """Run the three checks at once; each gives "ok" or what is wrong."""
    names = ("database", "content", "nlu")
    results = await asyncio.gather(
        _limited(_database(dialogue), seconds),
        _limited(_content(dialogue), seconds),
        _limited(_nlu(dialogue), seconds),
    )
    checks = dict(zip(names, results, strict=True))
    return Readiness(all(value == "ok" for value in results), checks)


async def _limited(check: Awaitable[str], seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            return await check
    except TimeoutError:
        return f"timed out after {seconds:.1f} s"
    except Exception as exc:  # noqa: BLE001 -- a probe reports what failed, never fails itself
        logger.warning("readiness check failed: %s", type(exc).__name__)
        return f"failed ({type(exc).__name__})"


async def _database(dialogue: Dialogue) -> str:
    async with dialogue.s.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "ok"


async def _content(dialogue: Dialogue) -> str:
    bundle = dialogue.s.content.bundle
    if not bundle.flows or not bundle.answers:
        return "no flows or answers loaded (run `python -m bot content import`)"
    return "ok"


async def _nlu(dialogue: Dialogue) -> str:
    from bot.ops.metrics import MeasuredNLU

    nlu = dialogue.s.nlu
    if isinstance(nlu, MeasuredNLU):  # probes must not show up in the confidence histogram
        nlu = nlu.inner
    result = await nlu.parse("hello")
    return "ok" if result.intent.name else "the NLU gave no intent"
