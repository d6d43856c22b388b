"""Turning texts into replies in the person's language.

Order of preference: the curated translation, then machine translation (marked), then English
(marked). UI strings come from the gettext catalogs; content texts from the flows and answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.content.provenance import Notice, Provenance
from bot.content.strings import Strings
from bot.flows.render import format_month
from bot.language.translation import Translator
from bot.messages import Button, Link, OutgoingMessage

logger = logging.getLogger(__name__)

# Babel locale names for our codes where they differ.
BABEL_LOCALES = {"kmr": "ku", "fa": "fa", "ckb": "ckb", "ti": "ti", "so": "so", "ps": "ps"}


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    language: str
    machine_translated: bool = False
    fallback_english: bool = False


def format_day(day: date, lang: str) -> str:
    """A date written the way the reader's language writes it (ISO when Babel lacks the locale)."""
    try:
        locale = Locale.parse(BABEL_LOCALES.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        return day.isoformat()
    return format_date(day, format="long", locale=locale)


class Renderer:
    def __init__(self, strings: Strings, translator: Translator) -> None:
        self.strings = strings
        self.translator = translator

    async def text(self, texts: Mapping[str, str], lang: str) -> Rendered:
        """Pick `lang` from a language->text mapping, else translate, else English."""
        if texts.get(lang):
            return Rendered(texts[lang], lang)
        source_lang = "en" if texts.get("en") else next(iter(texts), "en")
        return await self.fallback(texts.get(source_lang, ""), source_lang, lang)

    async def fallback(self, text: str, text_lang: str, lang: str) -> Rendered:
        """`text` is in `text_lang`; when that is not the reader's language, translate or mark."""
        if text_lang == lang or not text:
            return Rendered(text, lang)
        translated = await self._translate(text, target=lang, source=text_lang)
        if translated:
            return Rendered(translated, lang, machine_translated=True)
        return Rendered(text, text_lang, fallback_english=True)

    async def ui(self, key: str, lang: str, **params: object) -> Rendered:
        """A UI string; machine-translated when the catalog lacks the language and MT is on."""
        found = self.strings.get(key, lang, **params)
        if found.language == lang:
            return Rendered(found.text, lang)
        translated = await self._translate(found.text, target=lang, source=found.language)
        if translated:
            return Rendered(translated, lang, machine_translated=True)
        return Rendered(found.text, found.language)

    def unreviewed(self, key: str, lang: str) -> bool:
        """True when `key` in `lang` is our own translation that no native speaker checked."""
        return key in self.strings.unreviewed.get(lang, set())

    async def ui_text(self, key: str, lang: str, **params: object) -> str:
        return (await self.ui(key, lang, **params)).text

    async def footer(self, provenance: Provenance, lang: str) -> str:
        """'Information as of February 2026, compared with saved copies ...' (+ 'may be out
        of date' once a source is past its review date). Never 'checked' for a day nobody
        looked."""
        key = "answer.as_of_copies" if provenance.copies else "answer.as_of"
        footer = await self.ui_text(key, lang, date=format_month(provenance.as_of, lang))
        if provenance.review_due:
            footer = f"{footer} {await self.ui_text('answer.review_due', lang)}"
        return footer

    async def notice_text(self, notice: Notice, lang: str) -> str:
        """One notice in the person's language (bot/content/provenance.py)."""
        meaning = (await self.text(notice.text.texts, lang)).text if notice.text else ""
        if notice.kind == "caveat":  # it stands alone: "⚠️ For people with ..."
            meaning = meaning[:1].upper() + meaning[1:]
        day = format_day(notice.day, lang) if notice.day else ""
        month = format_month(notice.verified, lang) if notice.verified else ""
        return await self.ui_text(f"notice.{notice.kind}", lang, date=day, meaning=meaning,
                                  month=month)

    async def _translate(self, text: str, *, target: str, source: str) -> str | None:
        if not text or target == source:
            return None
        try:
            return await self.translator.translate(text, target=target, source=source)
        except Exception:  # a translator failure must never cost the person their answer
            logger.exception("translation %s->%s failed; showing the original", source, target)
            return None

    async def message(
        self,
        rendered: Rendered,
        lang: str,
        *,
        buttons: Iterable[Button] = (),
        links: Iterable[Link] = (),
        provenance: Provenance | None = None,
        meta: dict[str, object] | None = None,
    ) -> OutgoingMessage:
        """Build one reply, adding the machine-translation or English-fallback marker and
        the footer that says how current the information is."""
        text = rendered.text
        if rendered.machine_translated:
            text = f"{text}\n\n{await self.ui_text('translation.machine', lang)}"
        elif rendered.fallback_english:
            text = f"{await self.ui_text('translation.english_fallback', lang)}\n\n{text}"
        if provenance is not None:
            text = f"{text}\n\n{await self.footer(provenance, lang)}"
        return OutgoingMessage(
            text=text,
            language=lang,
            buttons=list(buttons),
            links=list(links),
            machine_translated=rendered.machine_translated,
            meta=dict(meta or {}),
        )
