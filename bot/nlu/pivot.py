"""The translation pivot: an unsure parse is tried again on an English translation."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.language.translation import Translator
from bot.nlu.base import NLUEngine, ParseResult

logger = logging.getLogger(__name__)


class PivotNLU:
    """Wraps an engine; below `threshold` the English translation gets a second parse and the
    more confident of the two wins. The result keeps the original text and language."""

    def __init__(self, engine: NLUEngine, translator: Translator, threshold: float) -> None:
        self.engine = engine
        self.translator = translator
        self.threshold = threshold
        self.name = f"{engine.name}+pivot"

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        first = await self.engine.parse(text, lang_hint=lang_hint)
        if first.intent.confidence >= self.threshold or first.language == "en":
            return first
        english = await self.translator.translate(
            text, target="en", source=first.language, personal=True
        )
        if not english:
            return first
        second = await self.engine.parse(english, lang_hint="en")
        if second.intent.confidence <= first.intent.confidence:
            return first
        logger.debug("pivot through English raised %s to %.2f", second.intent.name,
                     second.intent.confidence)
        return replace(second, text=text, language=first.language,
                       engine=f"{second.engine}+pivot")
