"""Message text encrypted at rest, when WERKPAD_ENCRYPTION_KEY is set (optional).

What people and coaches write (the event log, the handoff messages and their translations)
is stored as `enc1:` + Fernet token (AES-128-CBC with HMAC-SHA256, from `cryptography`).
Without a key, text is stored as written. Rows written before a key was set stay readable;
a row that was encrypted with a key we no longer have reads as a fixed marker instead of
stopping the bot. Rotate keys by listing the new key first and the old one after it
(comma-separated): new rows use the first, old rows are read with any of them.

The key comes from the environment only; `python -m bot keygen` prints a new one.
"""

from __future__ import annotations

import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text, TypeDecorator
from sqlalchemy.engine import Dialect

from bot.errors import SettingsError

logger = logging.getLogger(__name__)

PREFIX = "enc1:"
UNREADABLE = "[encrypted with a key this server does not have]"
_cipher: MultiFernet | None = None


def configure(keys: str | None) -> None:
    """Use these keys from now on (None or empty: store text as written)."""
    global _cipher
    if not keys or not keys.strip():
        _cipher = None
        return
    try:
        _cipher = MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as exc:
        raise SettingsError(
            "WERKPAD_ENCRYPTION_KEY is not a valid key (32 url-safe base64 bytes); make one "
            "with `python -m bot keygen`") from exc


def new_key() -> str:
    return Fernet.generate_key().decode()


def active() -> bool:
    return _cipher is not None


class EncryptedText(TypeDecorator[str]):
    """A Text column whose values are encrypted when a key is configured."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or _cipher is None:
            return value
        return PREFIX + _cipher.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or not isinstance(value, str) or not value.startswith(PREFIX):
            return value
        if _cipher is None:
            logger.error("an encrypted row was read but WERKPAD_ENCRYPTION_KEY is not set")
            return UNREADABLE
        try:
            return _cipher.decrypt(value[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            logger.error("an encrypted row does not open with the configured key(s)")
            return UNREADABLE
