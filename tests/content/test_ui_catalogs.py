"""The UI catalogs (`bot/content/locale/<lang>/LC_MESSAGES/werkpad.po`) against the English one.

Every catalog must be complete and keep what the bot and the person rely on: the `{placeholders}`
the code fills in, the `/forget` command, links, and the Dutch terms (TWV, BSN, COA, ...) that
people meet on their papers and must recognise. Translations no native speaker has checked carry
the `unreviewed` flag; when a native speaker approves a message, drop its flag in the catalog and
add its key to REVIEWED below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from string import Formatter

import pytest

from bot.content.languages import LANGUAGE_NAMES
from bot.content.strings import LOCALE_DIR, Strings
from bot.settings import ROOT, load_settings

# Catalogs written by the Werkpad team; en and nl are the lead's.
TRANSLATED = ("ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk", "ru")
# Terms kept in Dutch, in Latin letters, in every language (see the glossary in domain-facts).
DUTCH_TERMS = ("TWV", "BSN", "COA", "UWV", "IND", "AZC", "W-document")
# Names that stay as they are.
NAMES = ("Werkpad", "VluchtelingenWerk")
# Keys whose translation is rightly the same word as in English.
SAME_AS_ENGLISH_OK = {("fr", "button.menu")}  # "Menu" is French too
# Keys a native speaker has checked, per language (their `unreviewed` flag is removed).
REVIEWED: dict[str, set[str]] = {}
# How `language.set` names the language in the language itself (a stem, case-insensitive).
LANGUAGE_IN_ITSELF = {
    "en": "english", "nl": "nederlands", "ar": "العربية", "ti": "ትግርኛ", "fa": "فارسی",
    "ps": "پښتو", "tr": "türkçe", "kmr": "kurmancî", "ckb": "سۆرانی", "so": "soomaali",
    "fr": "français", "uk": "українськ", "ru": "русск",
}

_COMMAND = re.compile(r"(?<![\w/])/[a-z_]+\b")
_LINK = re.compile(r"(?:https?://)?(?:[\w-]+\.)+nl\b")


@pytest.fixture(scope="module")
def strings() -> Strings:
    return Strings.load()


def _english(strings: Strings) -> dict[str, str]:
    return strings.catalogs["en"]


def _placeholders(text: str) -> Counter[str]:
    return Counter(name for _, name, _, _ in Formatter().parse(text) if name is not None)


def _has_term(term: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])", text) is not None


def _verbatim(text: str) -> list[str]:
    """What must reappear unchanged: commands, links, Dutch terms and names."""
    found = _COMMAND.findall(text) + _LINK.findall(text)
    found += [term for term in (*DUTCH_TERMS, *NAMES) if _has_term(term, text)]
    return found


def _ascii_digits(text: str) -> str:
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )


def _only_terms(english: str) -> bool:
    """English text that is nothing but terms, links, placeholders and punctuation."""
    rest = re.sub(r"\{[^}]*\}", " ", english)
    for token in _verbatim(english):
        rest = rest.replace(token, " ")
    return not any(ch.isalpha() for ch in rest)


def test_every_supported_language_has_a_catalog() -> None:
    supported = load_settings(ROOT / "config.yml", env={}).languages.supported
    on_disk = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/werkpad.po")}
    assert set(supported) <= on_disk
    assert set(TRANSLATED) <= on_disk
    assert set(TRANSLATED) <= set(LANGUAGE_NAMES)


def test_catalogs_load(strings: Strings) -> None:
    for lang in ("en", "nl", *TRANSLATED):
        assert strings.catalogs.get(lang), f"{lang}: catalog missing or empty"


@pytest.mark.parametrize("lang", ["nl", *TRANSLATED])
def test_catalog_has_every_english_key_and_no_other(strings: Strings, lang: str) -> None:
    assert strings.missing(lang) == []
    assert sorted(set(strings.catalogs[lang]) - set(_english(strings))) == []


@pytest.mark.parametrize("lang", ["nl", *TRANSLATED])
def test_placeholders_match_english(strings: Strings, lang: str) -> None:
    problems = []
    for key, english in _english(strings).items():
        text = strings.catalogs[lang].get(key, "")
        try:
            wanted, got = _placeholders(english), _placeholders(text)
        except ValueError as exc:  # a stray brace: str.format would fail at runtime
            problems.append(f"{key}: {exc}")
            continue
        if wanted != got:
            problems.append(f"{key}: English has {dict(wanted)}, {lang} has {dict(got)}")
            continue
        text.format(**dict.fromkeys(got, "X"))  # must fill without error
    assert problems == []


@pytest.mark.parametrize("lang", ["nl", *TRANSLATED])
def test_commands_and_links_are_kept(strings: Strings, lang: str) -> None:
    problems = []
    for key, english in _english(strings).items():
        text = strings.catalogs[lang].get(key, "")
        for token in _COMMAND.findall(english) + _LINK.findall(english):
            if token not in text:
                problems.append(f"{key}: {token!r} missing")
    assert problems == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_dutch_terms_names_and_numbers_are_kept(strings: Strings, lang: str) -> None:
    problems = []
    for key, english in _english(strings).items():
        text = strings.catalogs[lang].get(key, "")
        for term in (*DUTCH_TERMS, *NAMES):
            if _has_term(term, english) and not _has_term(term, text):
                problems.append(f"{key}: {term!r} missing (keep it in Latin letters)")
        digits = _ascii_digits(text)
        for number in re.findall(r"\d+(?:-\d+)*", re.sub(r"\{[^}]*\}", "", english)):
            if number not in digits:
                problems.append(f"{key}: the example {number!r} is missing")
    assert problems == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_flagged_unreviewed(strings: Strings, lang: str) -> None:
    expected = set(strings.catalogs[lang]) - REVIEWED.get(lang, set())
    assert sorted(expected - strings.unreviewed[lang]) == []
    assert sorted(strings.unreviewed[lang] - expected) == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_message_is_empty_or_left_in_english(strings: Strings, lang: str) -> None:
    problems = []
    for key, english in _english(strings).items():
        text = strings.catalogs[lang].get(key, "")
        if not text.strip():
            problems.append(f"{key}: empty")
        elif (
            text.strip() == english.strip()
            and not _only_terms(english)
            and (lang, key) not in SAME_AS_ENGLISH_OK
        ):
            problems.append(f"{key}: same as English")
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "nl", *TRANSLATED])
def test_language_set_names_the_language_in_itself(strings: Strings, lang: str) -> None:
    assert LANGUAGE_IN_ITSELF[lang] in strings.t("language.set", lang).casefold()
