"""UI strings from gettext catalogs (`locale/<lang>/LC_MESSAGES/werkpad.po`), read with Babel.

Message ids are stable keys (`consent.text`); English is the last fallback. A translation
flagged `unreviewed` in the catalog has not been checked by a native speaker yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import read_po

logger = logging.getLogger(__name__)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "werkpad"


@dataclass(frozen=True, slots=True)
class Localized:
    text: str
    language: str  # the language the text is actually in


@dataclass
class Strings:
    catalogs: dict[str, dict[str, str]] = field(default_factory=dict)
    unreviewed: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, locale_dir: Path = LOCALE_DIR) -> Strings:
        strings = cls()
        for po_path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=None)
            texts: dict[str, str] = {}
            flagged: set[str] = set()
            for message in catalog:
                if not message.id or not isinstance(message.id, str):
                    continue
                if isinstance(message.string, str) and message.string:
                    texts[message.id] = message.string
                    if "unreviewed" in message.flags:
                        flagged.add(message.id)
            strings.catalogs[lang] = texts
            strings.unreviewed[lang] = flagged
        if "en" not in strings.catalogs:
            raise RuntimeError(f"English UI catalog missing under {locale_dir}")
        return strings

    def get(self, key: str, lang: str, **params: object) -> Localized:
        """The string in `lang`, else English; `{name}` placeholders filled from params."""
        for candidate in (lang, "en"):
            text = self.catalogs.get(candidate, {}).get(key)
            if text is not None:
                return Localized(_fill(text, params), candidate)
        logger.error("UI string %s missing in the English catalog", key)
        return Localized(key, "en")

    def t(self, key: str, lang: str, **params: object) -> str:
        return self.get(key, lang, **params).text

    def missing(self, lang: str) -> list[str]:
        """Keys present in English but not in `lang`."""
        have = self.catalogs.get(lang, {})
        return sorted(k for k in self.catalogs["en"] if k not in have)


def _fill(text: str, params: dict[str, object]) -> str:
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        logger.warning("placeholder mismatch in UI string %r", text[:60])
        return text
