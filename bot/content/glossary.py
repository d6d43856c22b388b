"""The glossary: Dutch terms the bot keeps in Dutch (TWV, BSN, COA, ...) with a one-line plain
explanation in every language, each with its source and the date it was verified.

The words live in flows/glossary.yml, published and versioned with the rest of the content
(bot/content/store.py). A person reaches a line by asking for a term in a question form the
file lists per language ("what is {term}", "wat is {term}", "ما هو {term}"), or the whole list
with a glossary word or /glossary. Matching is on the whole message, folded like the command
keywords (case, accents, letter variants and punctuation do not matter), so a longer question
that merely mentions a term still goes to the NLU.

    glossary, issues = load_glossary_text(text, "glossary.yml")
    glossary.match("What is a TWV?")      # the TWV term
    glossary.is_command("woordenlijst")   # True
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.flows.builder import ModelBuilder
from bot.flows.issues import ContentIssue
from bot.flows.model import LocalText, Source
from bot.flows.schema import DEFINITIONS, INTENT, LANG, NAME, schema_issues
from bot.flows.textnorm import normalise_words
from bot.flows.yamlio import LineDict, read_yaml

FILE = "glossary.yml"
TERM_SLOT = "{term}"
_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
_PER_LANGUAGE = {"type": "object", "propertyNames": {"pattern": LANG},
                 "additionalProperties": _WORDS}

SCHEMA: dict[str, Any] = {
    "$defs": DEFINITIONS,
    "type": "object",
    "required": ["labels", "commands", "questions", "terms"],
    "additionalProperties": False,
    "properties": {
        "unreviewed": {"$ref": "#/$defs/unreviewed"},
        "labels": {
            "type": "object", "required": ["title", "button"], "additionalProperties": False,
            "properties": {"title": {"$ref": "#/$defs/text"},
                           "button": {"$ref": "#/$defs/text"}},
        },
        "commands": _PER_LANGUAGE,
        "questions": _PER_LANGUAGE,
        "terms": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "term", "dutch", "spellings", "text", "sources"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": NAME},
                    "term": {"type": "string", "minLength": 1},
                    "dutch": {"type": "string", "minLength": 1},
                    "spellings": _WORDS,
                    "answer": {"type": "string", "pattern": INTENT},
                    "text": {"$ref": "#/$defs/text"},
                    "unreviewed": {"$ref": "#/$defs/unreviewed"},
                    "sources": {"type": "array", "minItems": 1,
                                "items": {"$ref": "#/$defs/source"}},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Term:
    id: str
    term: str  # as it is written in Dutch texts: TWV, W-document
    dutch: str  # the full Dutch name
    spellings: tuple[str, ...]  # what people type for it
    text: LocalText
    sources: tuple[Source, ...]
    answer: str | None = None  # the FAQ answer that says more (intent or intent/sub)
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    title: LocalText = field(default_factory=lambda: LocalText({}))
    button: LocalText = field(default_factory=lambda: LocalText({}))
    commands: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    questions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    file: str = field(default=FILE, compare=False)
    line: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # every folded question with every spelling, built once: match() runs on each message
        asked: dict[str, Term] = {}
        for forms in self.questions.values():
            for form in forms:
                for term in self.terms:
                    for spelling in term.spellings:
                        asked.setdefault(normalise_words(form.replace(TERM_SLOT, spelling)), term)
        words = {normalise_words(w) for ws in self.commands.values() for w in ws}
        object.__setattr__(self, "_asked", asked)
        object.__setattr__(self, "_commands", words - {""})

    def match(self, text: str) -> Term | None:
        """The term the whole message asks about ("what is a TWV?"), else None."""
        folded = normalise_words(text)
        return self._asked.get(folded) if folded else None  # type: ignore[attr-defined]

    def is_command(self, text: str) -> bool:
        """True for /glossary and for a glossary word of any language."""
        stripped = text.strip()
        if stripped.casefold().split("@")[0] == "/glossary":
            return True
        return bool(self.terms) and normalise_words(stripped) in self._commands  # type: ignore[attr-defined]


def load_glossary_text(text: str, filename: str = FILE) -> tuple[Glossary, list[ContentIssue]]:
    """Read glossary.yml; an unreadable or malformed file gives an empty glossary and issues."""
    data, issues = read_yaml(text, filename)
    if data is None and issues:
        return Glossary(file=filename), issues
    if not isinstance(data, LineDict):
        return Glossary(file=filename), [*issues, ContentIssue(
            filename, 1, None, None, "the file must be a YAML mapping", "see docs/flows.md")]
    issues += schema_issues(data, SCHEMA, filename)
    if issues:
        return Glossary(file=filename), issues
    builder = ModelBuilder(filename)
    terms = tuple(
        Term(
            raw["id"], raw["term"], raw["dutch"], tuple(raw["spellings"]),
            builder.text(raw, "text") or LocalText({}),
            builder.sources(raw["sources"], raw["id"]), raw.get("answer"), raw.line,
        )
        for raw in data["terms"]
    )
    labels = data["labels"]
    glossary = Glossary(
        terms,
        builder.text(labels, "title") or LocalText({}),
        builder.text(labels, "button") or LocalText({}),
        {lang: tuple(words) for lang, words in data["commands"].items()},
        {lang: tuple(forms) for lang, forms in data["questions"].items()},
        filename, data.line,
    )
    return glossary, issues + builder.issues


def check_glossary(
    glossary: Glossary, required: Collection[str], answers: Collection[str]
) -> list[ContentIssue]:
    """Every term in every required language with a dated source and a known answer; every
    language has question forms with {term}; no spelling names two terms."""
    issues: list[ContentIssue] = []

    def add(line: int, where: str | None, message: str, fix: str) -> None:
        issues.append(ContentIssue(glossary.file, line or 1, None, where, message, fix))

    seen: dict[str, str] = {}
    for term in glossary.terms:
        if missing := sorted(set(required) - term.text.languages):
            add(term.line, term.id, f"text has no translation for {', '.join(missing)}",
                "add it (a translation not checked by a native speaker goes in unreviewed)")
        for source in term.sources:
            if source.verified is None:
                add(term.line, term.id, f"source {source.url} has no verified date",
                    "add verified: YYYY-MM (when someone compared the text with the page)")
        if term.answer and term.answer not in answers and term.answer.split("/")[0] not in answers:
            add(term.line, term.id, f"answer {term.answer!r} does not exist",
                "name an answer from flows/answers/, or leave answer out")
        for spelling in term.spellings:
            folded = normalise_words(spelling)
            if seen.setdefault(folded, term.id) != term.id:
                add(term.line, term.id, f"spelling {spelling!r} is also a spelling of "
                    f"{seen[folded]!r}", "a spelling can name only one term")
        if term.id in [t.id for t in glossary.terms[:glossary.terms.index(term)]]:
            add(term.line, term.id, f"term {term.id!r} is written twice", "keep one")
    for what, per_lang in (("questions", glossary.questions), ("commands", glossary.commands)):
        if missing := sorted(set(required) - set(per_lang)):
            add(glossary.line, None, f"{what} has no words for {', '.join(missing)}", "add them")
    for lang, forms in glossary.questions.items():
        for form in forms:
            if form.count(TERM_SLOT) != 1:
                add(glossary.line, None, f"{lang} question {form!r} must contain {TERM_SLOT} "
                    "once", "write where the term goes, e.g. 'what is {term}'")
    for name, text in (("title", glossary.title), ("button", glossary.button)):
        if missing := sorted(set(required) - text.languages):
            add(glossary.line, None, f"label {name} has no translation for {', '.join(missing)}",
                "add it")
    return issues


def glossary_of(
    texts: Mapping[str, str], answers: Collection[str], required: Collection[str]
) -> tuple[Glossary, list[ContentIssue]]:
    """The glossary among content files keyed by path, with its problems (none when the
    content has no glossary.yml: it is optional, and the bot then has no glossary)."""
    text = texts.get(FILE)
    if text is None:
        return Glossary(), []
    glossary, issues = load_glossary_text(text, FILE)
    return glossary, issues + (check_glossary(glossary, required, answers) if not issues else [])
