"""The employer's page: a short, sourced page about the TWV that a person forwards to an employer.

The words live in flows/employer.yml (Dutch, the main text, and English): a `title`, a `body`
of blocks (each exactly one of `heading`, `paragraph`, `bullets`), `labels`, `sources` and a
`footer`. Every text is `{nl: ..., en: ...}`. Placeholders: `{rules_as_of}` (the month the
rules were last verified) and `{rule_id}`, the value of a rule in flows/rules.yml, so that the
page never states a rule value of its own (`rules enact` changes the page too).

    page = load_employer_page()                      # ContentError naming file:line if broken
    employer_text("nl", page=page, values=lookup)    # plain text for the chat (< 4,000 chars)
    employer_pdf("en", page=page, values=lookup)     # a one-page A4 PDF

`values(name)` gives a placeholder's value (the bot passes its content bundle's rules of
today); without it the page's own sources give `{rules_as_of}` and flows/rules.yml the rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date

from bot.content.pdf import Block, Bullets, Heading, Paragraph, Title, render_pdf
from bot.errors import ContentError
from bot.flows.issues import ContentIssue
from bot.flows.render import MonthYear, format_month, format_value
from bot.flows.schema import DAY_OR_MONTH, ISO_DATE, schema_issues
from bot.flows.yamlio import read_yaml
from bot.settings import ROOT

PageLanguage = Literal["nl", "en"]
LANGUAGES: tuple[PageLanguage, ...] = ("nl", "en")
DEFAULT_PATH = ROOT / "flows" / "employer.yml"
MAX_CHAT_CHARS = 4000  # Telegram's limit is 4,096; leave room for the channel's own marks
PDF_FILENAMES: Mapping[PageLanguage, str] = {"nl": "werkgever-twv.pdf", "en": "employer-twv.pdf"}
PLACEHOLDER = "{rules_as_of}"
_NAME = re.compile(r"\{([^{}]*)\}")
Values = Callable[[str], Any]

_TEXT: dict[str, Any] = {
    "type": "object",
    "required": list(LANGUAGES),
    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
    "additionalProperties": False,
    "errorMessage": "a text needs exactly nl and en, both non-empty: {nl: ..., en: ...}",
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["page", "title", "body", "labels", "sources", "footer"],
    "additionalProperties": False,
    "properties": {
        "page": {"const": "employer_twv"},
        "title": _TEXT,
        "body": {"type": "array", "minItems": 1, "items": {
            "type": "object", "minProperties": 1, "maxProperties": 1,
            "additionalProperties": False,
            "properties": {"heading": _TEXT, "paragraph": _TEXT,
                           "bullets": {"type": "array", "minItems": 1, "items": _TEXT}},
            "errorMessage": "a block is exactly one of heading, paragraph or bullets",
        }},
        # `as_of` says how current the sources are: "Stand van de informatie: {date}"
        "labels": {"type": "object", "required": ["sources", "as_of", "copies"],
                   "additionalProperties": False,
                   "properties": {"sources": _TEXT, "as_of": _TEXT, "copies": _TEXT}},
        "sources": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["title", "url", "verified"],
            "additionalProperties": False,
            "properties": {
                "title": {"type": "string", "minLength": 1},
                "url": {"type": "string", "pattern": r"^https?://\S+$"},
                "verified": {"type": "string", "pattern": DAY_OR_MONTH},
                "seen": {"enum": ["copy", "live"]},
                "review_by": {"type": "string", "pattern": ISO_DATE},
                "note": {"type": "string"},
            },
        }},
        "footer": _TEXT,
    },
}


@dataclass(frozen=True)
class PageSource:
    title: str
    url: str
    verified: date  # when someone compared the page with this source (first of the month)
    seen: str = "copy"


@dataclass(frozen=True)
class EmployerPage:
    """The page as written; texts still hold `{rules_as_of}`."""

    title: Mapping[str, str]
    body: tuple[tuple[str, tuple[Mapping[str, str], ...]], ...]  # (kind, texts), kind as in YAML
    labels: Mapping[str, Mapping[str, str]]
    sources: tuple[PageSource, ...]
    footer: Mapping[str, str]

    def as_of(self) -> date:
        """The oldest verification among the sources: the page is as current as that."""
        return min(source.verified for source in self.sources).replace(day=1)


@dataclass(frozen=True)
class RenderedPage:
    """The page in one language with the date filled in: what text, PDF and HTML show."""

    lang: PageLanguage
    title: str
    blocks: tuple[Heading | Paragraph | Bullets, ...]
    sources_label: str
    sources: tuple[tuple[str, str, str], ...]  # (title, url, "" : the date is in the label)
    footer: str


def page_language(lang: str | None) -> PageLanguage:
    """English for `en` (and `en-GB`...), Dutch for everything else: the employer is Dutch."""
    return "en" if lang and lang.lower().split("-", 1)[0] == "en" else "nl"


def _texts(data: Any) -> list[Mapping[str, str]]:
    found: list[Mapping[str, str]] = [data["title"], data["footer"], *data["labels"].values()]
    for block in data["body"]:
        for kind, value in block.items():
            found += value if kind == "bullets" else [value]
    return found


def _line(text: Mapping[str, str], key: str) -> int:
    """The line of `key` in a mapping read by read_yaml (LineDict), else 1."""
    key_lines = getattr(text, "key_lines", {})
    return int(key_lines.get(key, getattr(text, "line", 1)))


def rule_ids(path: Path = DEFAULT_PATH.parent / "rules.yml") -> frozenset[str]:
    """The ids of the rules in rules.yml beside the page (placeholders the page may use)."""
    from bot.flows.loader import load_rules_text

    try:
        rules, _issues = load_rules_text(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(rule.id for rule in rules)


def read_employer_page(
    yaml_text: str, filename: str = "flows/employer.yml",
    names: Collection[str] | None = None,
) -> tuple[EmployerPage | None, list[ContentIssue]]:
    """Parse and check the page; problems come back as issues, never as exceptions.
    `names` are the rule ids a placeholder may name (default: flows/rules.yml's)."""
    allowed = {"rules_as_of", *(rule_ids() if names is None else names)}
    data, issues = read_yaml(yaml_text, filename)
    if data is None:
        return None, issues or [ContentIssue(filename, 1, None, None, "the file is empty",
                                             "see the format in bot/content/employer.py")]
    if not isinstance(data, dict):
        return None, [*issues, ContentIssue(filename, 1, None, None,
                                            "the file must be a YAML mapping",
                                            "see the format in bot/content/employer.py")]
    issues += schema_issues(data, SCHEMA, filename)
    if issues:
        return None, issues
    for text in _texts(data):
        for lang, value in text.items():
            for name in sorted(set(_NAME.findall(value)) - allowed):
                issues.append(ContentIssue(
                    filename, _line(text, lang), None, None,
                    f"unknown placeholder {{{name}}} in {lang!r}",
                    f"use {PLACEHOLDER} or a rule id from rules.yml ({{work_wait_months}})",
                ))
    sources = []
    for i, raw in enumerate(data["sources"]):
        written = raw["verified"]
        try:
            verified = date.fromisoformat(written if len(written) > 7 else f"{written}-01")
            sources.append(PageSource(raw["title"], raw["url"], verified,
                                      raw.get("seen", "copy")))
        except ValueError:
            issues.append(ContentIssue(filename, data["sources"].item_lines[i], None, None,
                                       f"verified {written!r} is not a real date",
                                       "write the date as YYYY-MM or YYYY-MM-DD"))
    if issues:
        return None, issues
    page = EmployerPage(
        title=dict(data["title"]),
        body=tuple(
            (kind, tuple(dict(t) for t in (value if kind == "bullets" else [value])))
            for block in data["body"] for kind, value in block.items()
        ),
        labels={key: dict(value) for key, value in data["labels"].items()},
        sources=tuple(sources),
        footer=dict(data["footer"]),
    )
    for lang in LANGUAGES:
        length = len(employer_text(lang, page=page, values=_longest_values))
        if length > MAX_CHAT_CHARS:
            issues.append(ContentIssue(
                filename, 1, None, None,
                f"the {lang} chat text is {length} characters, more than {MAX_CHAT_CHARS}",
                "shorten the page: it must fit in one chat message",
            ))
    return (None if issues else page), issues


def load_employer_page(path: Path = DEFAULT_PATH) -> EmployerPage:
    """Read flows/employer.yml; a broken file raises ContentError listing every problem."""
    try:
        yaml_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot read the employer's page {path}: {exc}") from exc
    page, issues = read_employer_page(yaml_text, str(path))
    if page is None:
        raise ContentError(
            f"the employer's page {path} has {len(issues)} problem(s):\n"
            + "\n".join(f"  {issue}" for issue in issues)
        )
    return page


def format_day(day: date, lang: PageLanguage) -> str:
    """`28 november 2026` / `28 November 2026`: day first in both, as Dutch readers expect."""
    return format_date(day, format="d MMMM y", locale=lang)


def _longest_values(name: str) -> Any:
    """Stand-in values for the length check: a long month name and a wide number."""
    return MonthYear(2026, 9, 1) if name == "rules_as_of" else 99.99


def file_values(page: EmployerPage, today: date | None = None) -> Values:
    """Placeholder values without a running bot: flows/rules.yml of today."""
    from bot.flows.engine import content_value
    from bot.flows.loader import load_rules_text
    from bot.flows.model import ContentBundle

    path = DEFAULT_PATH.parent / "rules.yml"
    rules, _ = load_rules_text(path.read_text(encoding="utf-8"), str(path))
    bundle, day = ContentBundle(rules=rules), today or date.today()

    def lookup(name: str) -> Any:
        if name == "rules_as_of":  # the page is as current as its own sources
            as_of = page.as_of()
            return MonthYear(as_of.year, as_of.month, 1)
        return content_value(bundle, name, day)

    return lookup


def render_page(
    lang: str, *, page: EmployerPage | None = None, values: Values | None = None
) -> RenderedPage:
    """The page in `lang` (nl unless English is asked) with its placeholders filled in."""
    page = page or load_employer_page()
    code = page_language(lang)
    lookup = values or file_values(page)

    def fill(text: Mapping[str, str]) -> str:
        return _NAME.sub(lambda m: format_value(lookup(m[1]), code), text[code])

    blocks: list[Heading | Paragraph | Bullets] = []
    for kind, texts in page.body:
        if kind == "heading":
            blocks.append(Heading(fill(texts[0])))
        elif kind == "paragraph":
            blocks.append(Paragraph(fill(texts[0])))
        else:
            blocks.append(Bullets(tuple(fill(t) for t in texts)))
    label = f"{fill(page.labels['sources'])} ({fill(page.labels['as_of'])} " \
            f"{format_month(page.as_of(), code)}"
    if any(source.seen != "live" for source in page.sources):
        label += f", {fill(page.labels['copies'])}"
    label += ")"
    return RenderedPage(
        lang=code,
        title=fill(page.title),
        blocks=tuple(blocks),
        sources_label=label,
        sources=tuple((s.title, s.url, "") for s in page.sources),
        footer=fill(page.footer),
    )


def employer_text(
    lang: str, *, page: EmployerPage | None = None, values: Values | None = None
) -> str:
    """The page as plain text for one chat message (the channel escapes and formats it)."""
    rendered = render_page(lang, page=page, values=values)
    parts = [f"{rendered.title.upper()}\n"]
    for block in rendered.blocks:
        if isinstance(block, Heading):
            parts.append(f"\n{block.text}")
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.append("\n".join(f"• {item}" for item in block.items))
    parts.append(f"\n{rendered.sources_label}:")
    parts.append("\n".join(f"• {_source_title(title, checked)}\n  {url}"
                           for title, url, checked in rendered.sources))
    parts.append(f"\n{rendered.footer}")
    return "\n".join(parts)


def employer_pdf(
    lang: str, *, page: EmployerPage | None = None, values: Values | None = None
) -> bytes:
    """The page as a one-page A4 PDF to send in the chat or download."""
    rendered = render_page(lang, page=page, values=values)
    blocks: list[Block] = [Title(rendered.title), *rendered.blocks,
                           Heading(rendered.sources_label)]
    blocks.append(Bullets(tuple(f"{_source_title(title, checked)}\n{url}"
                                for title, url, checked in rendered.sources), small=True))
    return render_pdf(blocks, title=rendered.title, lang=rendered.lang, footer=rendered.footer)


def _source_title(title: str, checked: str) -> str:
    return f"{title} ({checked})" if checked else title


def employer_pdf_filename(lang: str) -> str:
    return PDF_FILENAMES[page_language(lang)]
