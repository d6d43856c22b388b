"""The NLU interface every engine implements, and the Rasa /model/parse result shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True, slots=True)
class IntentScore:
    name: str
    confidence: float


@dataclass(slots=True)
class ParseResult:
    """What an engine understood; `to_dict` gives Rasa's /model/parse shape plus `language`."""

    text: str
    intent: IntentScore
    intent_ranking: list[IntentScore] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    language: str = "en"
    engine: str = ""
    # Whether `language` was read from the text (script, language head, detector) surely
    # enough to answer in it; False when it is a hint or a guess (bot/language/decide.py).
    language_reliable: bool = False

    @property
    def base_intent(self) -> str:
        """The intent without its retrieval sub-intent: `documents/bsn` -> `documents`."""
        return self.intent.name.split("/", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": {"name": self.intent.name, "confidence": self.intent.confidence},
            "intent_ranking": [
                {"name": s.name, "confidence": s.confidence} for s in self.intent_ranking
            ],
            "entities": self.entities,
            "language": self.language,
        }


class NLUEngine(Protocol):
    """An intent classifier. `parse` never raises for odd text: it returns out_of_scope."""

    name: str

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult: ...
