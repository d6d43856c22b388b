"""The glossary of Dutch terms: complete in every language, sourced and dated, loaded and
checked with the rest of the content (errors as file:line), and reachable in a conversation
("what is a TWV", "wat is BSN", the same in Arabic and Tigrinya, /glossary, a menu button)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.glossary import check_glossary, load_glossary_text
from bot.content.store import ContentFile, read_directory, validate
from bot.settings import ROOT, load_settings
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat
from tests.support.eligibility import to_date

LANGUAGES = ("en", "nl", "ar", "ti", "fa", "ps", "tr", "kmr", "ckb", "so", "fr", "uk", "ru")
TERMS = {"twv", "bsn", "coa", "uwv", "ind", "azc", "w_document"}
FACTS = Path(__file__).resolve().parents[3] / "shared" / "research" / "domain-facts.md"
TEXT = (ROOT / "flows" / "glossary.yml").read_text(encoding="utf-8")


def test_every_term_has_every_language_a_source_and_a_date() -> None:
    glossary, issues = load_glossary_text(TEXT)
    assert issues == []
    assert {t.id for t in glossary.terms} == TERMS
    for term in glossary.terms:
        assert term.text.languages == set(LANGUAGES), term.id
        assert term.text.unreviewed == set(LANGUAGES) - {"en", "nl"}, term.id
        for lang in LANGUAGES:
            line = term.text.texts[lang]
            assert line.startswith(term.term) and 40 < len(line) < 320, (term.id, lang)
        assert term.sources and all(s.url.startswith("https://") and s.verified
                                    for s in term.sources), term.id
    assert glossary.title.languages == set(LANGUAGES) == glossary.button.languages
    assert set(glossary.questions) == set(LANGUAGES) == set(glossary.commands)


@pytest.mark.skipif(not FACTS.exists(), reason="the research file is not next to the checkout")
def test_every_source_comes_from_the_research_file() -> None:
    facts = FACTS.read_text(encoding="utf-8")
    glossary, _ = load_glossary_text(TEXT)
    for term in glossary.terms:
        for source in term.sources:
            assert source.url in facts, f"{term.id}: {source.url} is not in domain-facts.md"


def test_problems_are_reported_with_file_and_line() -> None:
    broken = TEXT.replace('      ti: "TWV (tewerkstellingsvergunning)', '      xx: "TWV', 1)
    broken = broken.replace('"what is {term}", ', '"what is", ', 1)
    glossary, issues = load_glossary_text(broken)
    assert issues == []
    found = [str(i) for i in check_glossary(glossary, LANGUAGES, {"work_permit/what_is_twv"})]
    twv_line = next(n for n, line in enumerate(broken.splitlines(), 1) if "- id: twv" in line)
    assert f"glossary.yml:{twv_line}: twv: text has no translation for ti" in found[0]
    assert any("answer 'documents/bsn' does not exist" in m for m in found)
    assert any("en question 'what is' must contain {term} once" in m for m in found)

    bsn_line = next(n for n, line in enumerate(TEXT.splitlines(), 1) if "- id: bsn" in line)
    _, issues = load_glossary_text(TEXT.replace("    dutch: burgerservicenummer\n", ""))
    assert [str(i) for i in issues] == [
        f"glossary.yml:{bsn_line}: terms/1: 'dutch' is a required property (add the missing key)"]
    _, issues = load_glossary_text("terms:\n  [unclosed")
    assert str(issues[0]).startswith("glossary.yml:3: YAML syntax error")


def test_the_glossary_is_checked_with_the_rest_of_the_content() -> None:
    settings = load_settings(ROOT / "config.yml", env={})
    files = read_directory(ROOT / "flows")
    item = ContentFile.for_path(Path("glossary.yml"))
    assert item in files and item is not None and item.kind == "glossary"
    _, issues = validate({**files, item: TEXT.replace("answer: documents/bsn",
                                                       "answer: nothing/at_all")}, settings)
    assert [str(i) for i in issues] == [
        next(str(i) for i in issues if "nothing/at_all" in i.message)]


@pytest.mark.parametrize(
    ("question", "term"),
    [("What is a TWV?", "TWV (tewerkstellingsvergunning)"), ("wat is BSN", "BSN"),
     ("c'est quoi l'AZC ?", "AZC (asielzoekerscentrum)"), ("what's the IND", "IND (Immigratie"),
     ("what is a W-document", "W-document (now called VI"), ("what is VI?", "W-document"),
     ("what is a TWV and how long does it take", None)],
)
def test_question_forms_find_the_term(question: str, term: str | None) -> None:
    glossary, _ = load_glossary_text(TEXT)
    found = glossary.match(question)
    if term is None:
        assert found is None
    else:
        assert found is not None and found.text.texts["en"].startswith(term)


async def test_english_what_is_a_twv_gives_the_line_then_the_answer(chat: Chat) -> None:
    await chat.say("What is a TWV?")
    first = chat.last[0]
    assert first.text.startswith("TWV (tewerkstellingsvergunning): the work permit an employer")
    assert "Information as of February 2026" in first.text  # never "checked" for a day
    assert "checked" not in first.text.casefold()  # on which nobody looked
    assert any("uwv.nl" in link.url for link in first.links)
    assert "cmd:glossary" in [b.payload for b in first.buttons]
    assert len(chat.last) == 2  # then the fuller FAQ answer about the TWV
    await chat.press("cmd:glossary")
    chat.expect("Dutch words you will meet", "TWV (", "BSN (", "COA (", "UWV (", "IND (",
                "AZC (", "W-document (")
    links = [link.url for link in chat.last[0].links]
    assert len(links) == len(set(links)) >= 5  # every source once


async def test_dutch_and_a_term_without_a_longer_answer(chat: Chat) -> None:
    await chat.say("wat is het COA?")
    assert len(chat.last) == 1
    chat.expect("COA (Centraal Orgaan opvang asielzoekers): the agency")  # person speaks en
    await chat.say("/glossary")
    chat.expect("Dutch words you will meet")


async def test_arabic_and_tigrinya_get_the_line_in_their_language(
    make_dialogue: MakeDialogue,
) -> None:
    amal = Chat(await make_dialogue(), user="amal", lang="ar")
    await amal.agree()
    await amal.payload("lang:ar")
    await amal.say("ما هو BSN؟")
    amal.expect("BSN (burgerservicenummer): رقم خدمة المواطن")
    assert amal.last[0].language == "ar"
    await amal.say("قائمة الكلمات")
    amal.expect("كلمات هولندية ستصادفها", "TWV (tewerkstellingsvergunning): تصريح العمل")

    selam = Chat(await make_dialogue(), user="selam", lang="ti")
    await selam.agree()
    await selam.payload("lang:ti")
    await selam.say("AZC እንታይ እዩ?")
    selam.expect("AZC (asielzoekerscentrum): ብCOA ዝመሓደር")
    assert selam.last[0].language == "ti" and len(selam.last) == 1


async def test_in_the_middle_of_a_flow_the_question_is_a_detour(chat: Chat) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("what is the IND")
    chat.expect("IND (Immigratie- en Naturalisatiedienst)", "continue")
    await chat.say("01-02-2026")
    chat.expect("Do you have a W-document")


async def test_the_help_answer_offers_the_word_list(chat: Chat) -> None:
    await chat.payload("intent:help")
    await chat.press("Word list")
    chat.expect("Dutch words you will meet", "W-document (now called VI")
