"""Test doubles for the dialogue's collaborators (the real ones have their own contract tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.language.detect import detect_language
from bot.nlu.base import OUT_OF_SCOPE, IntentScore, ParseResult


@dataclass
class ScriptedNLU:
    """Understands exactly the texts it was given (casefolded); everything else is out of scope.

    `rankings` maps a text to [(intent, confidence), ...], best first, so tests can set up
    confident, unsure and nonsense parses without depending on the trained model.
    """

    rankings: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    name: str = "scripted"
    calls: list[str] = field(default_factory=list)

    def teach(self, text: str, *ranking: tuple[str, float]) -> ScriptedNLU:
        self.rankings[text.casefold()] = list(ranking)
        return self

    async def parse(self, text: str, *, lang_hint: str | None = None) -> ParseResult:
        self.calls.append(text)
        ranking = self.rankings.get(text.casefold(), [(OUT_OF_SCOPE, 0.1)])
        scores = [IntentScore(name, conf) for name, conf in ranking]
        guess = detect_language(text, hint=lang_hint)
        return ParseResult(text=text, intent=scores[0], intent_ranking=scores,
                           language=guess.code, engine=self.name,
                           language_reliable=guess.reliable)


@dataclass
class FailingTranslator:
    calls: int = 0

    async def translate(
        self, text: str, *, target: str, source: str | None = None, personal: bool = False
    ) -> str | None:
        self.calls += 1
        raise TimeoutError("translator unreachable")


@dataclass
class EchoTranslator:
    """Marks text as translated so tests can see where machine translation was used."""

    async def translate(
        self, text: str, *, target: str, source: str | None = None, personal: bool = False
    ) -> str | None:
        return f"[{target}] {text}"
