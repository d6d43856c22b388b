"""Safety signs: words that point at exploitation (unpaid wages, an employer keeping papers,
someone asking money for a permit, housing tied to a job). Admins edit them in safety.yml.

A message with a sign gets the sign's sourced answer and an immediate offer of a coach,
whatever else was going on. Matching is on whole words of the folded text, so accents,
letter variants, digits and punctuation do not matter.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.flows.issues import ContentIssue
from bot.flows.schema import DEFINITIONS, schema_issues
from bot.flows.textnorm import normalise_words
from bot.flows.yamlio import read_yaml

SAFETY_SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    "type": "object",
    "required": ["signs"],
    "additionalProperties": False,
    "properties": {
        "unreviewed": {"type": "array", "items": {"type": "string"}},
        "signs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "answer", "patterns"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"},
                    "answer": {"type": "string"},
                    "intents": {"type": "array", "items": {"type": "string"}},
                    "patterns": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "array", "minItems": 1,
                            "items": {"type": "string", "minLength": 3},
                        },
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class SafetySign:
    id: str
    answer: str  # the FAQ answer (intent or intent/sub) shown with the coach offer
    patterns: Mapping[str, tuple[str, ...]]
    intents: tuple[str, ...] = ()  # NLU intents that count as this sign too
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # folded once: matching runs on every message
        folded = tuple(f" {normalise_words(p)} " for ws in self.patterns.values() for p in ws)
        object.__setattr__(self, "_folded", folded)

    def matches(self, folded: str) -> bool:
        """`folded` is normalise_words(text), padded with spaces."""
        return any(pattern in folded for pattern in self._folded)  # type: ignore[attr-defined]


def find_sign(signs: Collection[SafetySign], text: str) -> SafetySign | None:
    folded = f" {normalise_words(text)} "
    return next((sign for sign in signs if sign.matches(folded)), None)


def sign_for_intent(signs: Collection[SafetySign], intent: str) -> SafetySign | None:
    return next((sign for sign in signs if intent in sign.intents), None)


def load_safety_text(
    yaml_text: str, filename: str
) -> tuple[tuple[SafetySign, ...], list[ContentIssue]]:
    data, issues = read_yaml(yaml_text, filename)
    if data is None:
        return (), issues
    if not isinstance(data, dict):
        return (), [*issues, ContentIssue(filename, 1, None, None,
                                          "the file must be a YAML mapping", "see docs/flows.md")]
    issues += schema_issues(data, SAFETY_SCHEMA, filename)
    if issues:
        return (), issues
    signs = tuple(
        SafetySign(
            raw["id"], raw["answer"],
            {lang: tuple(words) for lang, words in raw["patterns"].items()},
            tuple(raw.get("intents", ())), filename, raw.line,
        )
        for raw in data["signs"]
    )
    return signs, issues


def check_safety(
    signs: Collection[SafetySign], answers: Collection[str], intents: Collection[str],
    required: Collection[str],
) -> list[ContentIssue]:
    issues: list[ContentIssue] = []
    seen: set[str] = set()
    for sign in signs:
        def add(message: str, fix: str, sign: SafetySign = sign) -> None:
            issues.append(ContentIssue(sign.file or "safety.yml", sign.line, None, sign.id,
                                       message, fix))

        if sign.id in seen:
            add(f"sign {sign.id!r} is written twice", "keep one")
        seen.add(sign.id)
        if sign.answer not in answers and sign.answer.split("/")[0] not in answers:
            add(f"answer {sign.answer!r} does not exist", "name an answer from flows/answers/")
        for intent in sign.intents:
            if intent not in intents:
                add(f"unknown intent {intent!r}", "use a DESIGN.md intent or a known base/sub")
        if missing := sorted(set(required) - set(sign.patterns)):
            add(f"no patterns for {', '.join(missing)}", "add them")
    return issues
