"""The button payload grammar of bot/messages.py, checked for buttons written in content."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.messages import COMMANDS

MAX_PAYLOAD_BYTES = 64  # Telegram's callback-data limit
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


def payload_problem(
    payload: str, intents: Collection[str], flow_ids: Collection[str]
) -> str | None:
    """What is wrong with a payload (None when it is fine): the prefix, its value, the size."""
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        return f"payload {payload!r} is longer than {MAX_PAYLOAD_BYTES} bytes"
    kind, sep, value = payload.partition(":")
    if not sep or not value:
        return f"payload {payload!r} must look like answer:, intent:, flow:, cmd: or lang:<value>"
    if kind == "answer":
        return None
    if kind == "intent":
        return None if value in intents else f"payload {payload!r} names an unknown intent"
    if kind == "flow":
        return None if value in flow_ids else f"payload {payload!r} names an unknown flow"
    if kind == "cmd":
        if value in COMMANDS:
            return None
        return f"payload {payload!r}: the command must be one of {', '.join(sorted(COMMANDS))}"
    if kind == "lang":
        return None if _LANG.match(value) else f"payload {payload!r}: not a language code"
    return f"payload {payload!r} has the unknown prefix {kind!r}"
