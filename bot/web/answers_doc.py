"""One FAQ answers file (`answers/<intent>.yml`) as the editor changes it: texts per language,
sources, and the `unreviewed` / `stale` lists beside each text.

Pure: YAML text in, YAML text out. Edits keep every key they do not touch and the comment
lines at the top of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.flows.yamlio import read_yaml, write_yaml

SOURCE_LANGUAGES = ("en", "nl")  # the languages translations are made from
STATUSES = ("present", "unreviewed", "stale", "missing")


class AnswersFileError(ValueError):
    """The stored file cannot be edited in the form (it does not even parse)."""


@dataclass(frozen=True)
class SourceRow:
    url: str
    title: str = ""
    verified: str = ""  # when someone compared the text with the page: YYYY-MM(-DD)
    note: str = ""
    seen: str = "copy"  # copy (a saved copy of the page) | live (the page itself)
    review_by: str = ""  # optional YYYY-MM-DD


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class AnswersDoc:
    def __init__(self, text: str, filename: str = "answers.yml") -> None:
        data, issues = read_yaml(text, filename)
        if data is None or not isinstance(data, dict) or not isinstance(
            data.get("answers"), dict
        ):
            detail = "; ".join(str(i) for i in issues) or "no `answers:` mapping"
            raise AnswersFileError(f"{filename} cannot be edited in the form: {detail}")
        self.data: dict[str, Any] = _plain(data)
        self.header = "".join(
            line for line in text.splitlines(keepends=True)[:20]
            if line.startswith("#")
        ) if text.startswith("#") else ""
        for answer in self.answers.values():
            _normalise(answer)

    @property
    def intent(self) -> str:
        return str(self.data.get("intent", ""))

    @property
    def answers(self) -> dict[str, dict[str, Any]]:
        answers: dict[str, dict[str, Any]] = self.data["answers"]
        return answers

    def answer(self, key: str) -> dict[str, Any]:
        if key not in self.answers:
            raise KeyError(key)
        return self.answers[key]

    def status(self, key: str, lang: str) -> str:
        answer = self.answer(key)
        if not str(answer.get("text", {}).get(lang, "")).strip():
            return "missing"
        if lang in answer.get("stale", []):
            return "stale"
        if lang in answer.get("unreviewed", []):
            return "unreviewed"
        return "present"

    def text(self, key: str, lang: str) -> str:
        return str(self.answer(key).get("text", {}).get(lang, ""))

    def sources(self, key: str) -> list[SourceRow]:
        return [
            SourceRow(str(s.get("url", "")), str(s.get("title", "")),
                      str(s.get("verified", "")), str(s.get("note", "")),
                      str(s.get("seen", "copy")), str(s.get("review_by", "")))
            for s in self.answer(key).get("sources", []) if isinstance(s, dict)
        ]

    def set_text(self, key: str, lang: str, value: str, *, reviewed: bool) -> bool:
        """Write one language's text; returns True when it changed.

        A new English or Dutch text makes every other language stale, unless that source
        text was itself stale (then it is catching up, not changing the meaning). A
        translation is unreviewed unless the editor says they reviewed it.
        """
        answer = self.answer(key)
        texts: dict[str, str] = answer.setdefault("text", {})
        value = value.replace("\r\n", "\n").strip()
        old = texts.get(lang, "")
        if value == old:
            if reviewed:
                self.mark_reviewed(key, lang)
            return False
        was_stale = lang in answer.get("stale", [])
        if value:
            texts[lang] = value
        else:
            texts.pop(lang, None)
        _discard(answer, "stale", lang)
        if lang in SOURCE_LANGUAGES and old and not was_stale:
            for other in texts:
                if other != lang:
                    _add(answer, "stale", other)
        if lang in SOURCE_LANGUAGES or reviewed or not value:
            _discard(answer, "unreviewed", lang)
        else:
            _add(answer, "unreviewed", lang)
        _tidy(answer)
        return True

    def mark_reviewed(self, key: str, lang: str) -> None:
        answer = self.answer(key)
        _discard(answer, "unreviewed", lang)
        _discard(answer, "stale", lang)
        _tidy(answer)

    def set_sources(self, key: str, rows: list[SourceRow]) -> None:
        answer = self.answer(key)
        out = []
        for row in rows:
            item: dict[str, str] = {}
            if row.title:
                item["title"] = row.title
            item["url"] = row.url
            item["verified"] = row.verified
            if row.seen == "live":
                item["seen"] = "live"
            if row.review_by:
                item["review_by"] = row.review_by
            if row.note:
                item["note"] = row.note
            out.append(item)
        if out:
            answer["sources"] = out
        else:
            answer.pop("sources", None)
        _tidy(answer)

    def dump(self) -> str:
        return self.header + write_yaml(self.data)


def check_source_rows(rows: list[SourceRow]) -> dict[str, str]:
    """Field errors for source rows, keyed `source-<i>-url` / `-verified` / `-review_by`."""
    errors = {}
    for i, row in enumerate(rows):
        if not row.url.startswith(("https://", "http://")) or any(c.isspace() for c in row.url):
            errors[f"source-{i}-url"] = "a source needs a web address starting with https://"
        if not _is_day_or_month(row.verified):
            errors[f"source-{i}-verified"] = (
                "write when you compared the text with the page, as YYYY-MM-DD or YYYY-MM")
        if row.review_by and not _is_day_or_month(row.review_by, month=False):
            errors[f"source-{i}-review_by"] = ("write the review date as YYYY-MM-DD, or leave "
                                               "it empty")
        if row.seen not in ("copy", "live"):
            errors[f"source-{i}-seen"] = "choose a saved copy or the live page"
    return errors


def _is_day_or_month(value: str, *, month: bool = True) -> bool:
    try:
        date.fromisoformat(f"{value}-01" if month and len(value) == 7 else value)
    except ValueError:
        return False
    return True


def _normalise(answer: dict[str, Any]) -> None:
    """`unreviewed` written inside the text mapping moves beside it (the loader reads both)."""
    text = answer.get("text")
    if isinstance(text, dict) and "unreviewed" in text:
        for lang in text.pop("unreviewed") or []:
            _add(answer, "unreviewed", lang)
        _tidy(answer)


def _add(answer: dict[str, Any], key: str, lang: str) -> None:
    values = answer.setdefault(key, [])
    if lang not in values:
        values.append(lang)


def _discard(answer: dict[str, Any], key: str, lang: str) -> None:
    if lang in answer.get(key, []):
        answer[key].remove(lang)


def _tidy(answer: dict[str, Any]) -> None:
    """Sorted lists of languages that have a text; empty lists removed; keys in file order."""
    texts = answer.get("text", {})
    for key in ("unreviewed", "stale"):
        values = sorted(lang for lang in answer.get(key, []) if lang in texts)
        answer.pop(key, None)
        if values:
            answer[key] = values
    order = ["text", "unreviewed", "stale", "sources", "buttons"]
    items = sorted(answer.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    answer.clear()
    answer.update(items)
