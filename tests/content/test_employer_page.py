"""The employer's page (flows/employer.yml): its facts, its PDF, its chat text and its routes.

The PDF is checked twice: its structure by hand (header, xref offsets, trailer) and, where
poppler's `pdftotext` is installed, by what a reader actually gets out of it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

import bot.channels.web.employer as web_employer
from bot.channels.web.employer import build_employer_router
from bot.content.employer import (
    MAX_CHAT_CHARS,
    EmployerPage,
    employer_pdf,
    employer_text,
    load_employer_page,
    page_language,
    read_employer_page,
)
from bot.content.pdf import (
    Block,
    Bullets,
    Heading,
    Paragraph,
    Title,
    render_pdf,
    to_winansi,
)
from bot.content.store import load_directory
from bot.errors import ContentError
from bot.flows.engine import values_of
from bot.flows.model import ContentBundle
from bot.flows.render import MonthYear
from bot.settings import ROOT
from tests.support.eligibility import enacted_rules

PAGE_FILE = ROOT / "flows" / "employer.yml"
URL = re.compile(r"https?://\S+")
FACTS = {
    "nl": ("tewerkstellingsvergunning", "UWV", "6 maanden", "18 jaar", "29 november 2023",
           "24 weken", "5 weken", "12 juni 2026", "minimumloon", "voorstel",
           "niet bevestigen"),
    "en": ("tewerkstellingsvergunning", "UWV", "6 months", "18 or older", "29 November 2023",
           "24 weeks", "5 weeks", "12 June 2026", "minimum wage", "proposal",
           "cannot confirm"),
}


@pytest.fixture(scope="module")
def page() -> EmployerPage:
    return load_employer_page()


def pdf_structure(data: bytes) -> int:
    """Check header, every xref offset, startxref and %%EOF by hand; return the page count."""
    assert data.startswith(b"%PDF-1.4\n")
    assert data.rstrip().endswith(b"%%EOF")
    startxref = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1])
    assert data[startxref:].startswith(b"xref\n")
    header = re.match(rb"xref\n0 (\d+)\n", data[startxref:])
    assert header is not None
    size = int(header[1])
    table = data[startxref + header.end():].split(b"trailer", 1)[0]
    entries = [table[i:i + 20] for i in range(0, 20 * size, 20)]
    assert entries[0] == b"0000000000 65535 f \n"
    for number, entry in enumerate(entries[1:], start=1):
        assert entry.endswith(b" 00000 n \n"), entry
        offset = int(entry[:10])
        assert data[offset:].startswith(f"{number} 0 obj\n".encode()), number
    trailer = data[startxref:].split(b"trailer", 1)[1]
    assert f"/Size {size}".encode() in trailer and b"/Root 1 0 R" in trailer
    for stream in re.finditer(rb"<< /Length (\d+) >>\nstream\n", data):
        end = stream.end() + int(stream[1])
        assert data[end:end + 10] == b"\nendstream"
    kids = re.search(rb"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)", data)
    assert kids is not None
    assert int(kids[1]) == len(re.findall(rb"/Type /Page /", data))
    return int(kids[1])


def pdf_text(data: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(data)
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, check=True, timeout=30)
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pdf_is_one_well_formed_a4_page(page: EmployerPage, lang: str) -> None:
    data = employer_pdf(lang, page=page)
    assert pdf_structure(data) == 1
    assert b"/MediaBox [0 0 595.28 841.89]" in data
    assert b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding" in data
    for source in page.sources:  # printed in full and clickable
        assert f"/URI ({source.url})".encode() in data


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_reader_gets_the_facts_and_the_sources_out_of_the_pdf(
    page: EmployerPage, lang: str, tmp_path: Path
) -> None:
    text = pdf_text(employer_pdf(lang, page=page, values=values(MonthYear(2026, 11, 1))),
                    tmp_path)
    flat = " ".join(text.split())
    for fact in FACTS[lang]:
        assert fact in flat, fact
    for source in page.sources:
        assert source.url in text.replace("\n", ""), source.url
    assert "één werkgever" in flat if lang == "nl" else "one employer" in flat
    assert ("geen juridisch advies" if lang == "nl" else "not legal advice") in flat
    assert "november 2026" in flat.lower()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_chat_text_fits_one_message_and_says_the_same(page: EmployerPage, lang: str) -> None:
    text = employer_text(lang, page=page, values=values(MonthYear(2026, 11, 1)))
    assert len(text) < MAX_CHAT_CHARS
    for fact in FACTS[lang]:
        assert fact in text, fact
    for source in page.sources:
        assert source.url in text
    assert "{" not in text and "}" not in text
    assert text.rstrip().endswith("uwv.nl.")


def allowed_numbers() -> set[str]:
    """Every number written in the rules and the work-permit answers (dates included)."""
    files = ("rules.yml", "answers/work_permit.yml")
    text = " ".join((ROOT / "flows" / name).read_text(encoding="utf-8") for name in files)
    return set(re.findall(r"\d+", text))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_number_on_the_page_comes_from_the_rules_or_the_answers(
    page: EmployerPage, lang: str
) -> None:
    text = URL.sub(" ", employer_text(lang, page=page))
    unknown = set(re.findall(r"\d+", text)) - allowed_numbers()
    assert not unknown, f"numbers not in rules.yml or work_permit.yml: {sorted(unknown)}"


def test_the_sources_match_the_answers_and_rules_with_the_same_verified_dates(
    page: EmployerPage,
) -> None:
    bundle, _ = load_directory(ROOT / "flows")
    known = {(s.url, s.verified) for answer in bundle.answers.values() for s in answer.sources}
    known |= {(s.url, s.verified) for rule in bundle.rules for s in rule.sources}
    for source in page.sources:
        assert (source.url, source.verified) in known, source.url
    assert page.as_of() == bundle.rules_as_of(date(2026, 12, 6)) == date(2026, 2, 1)


def values(as_of: date, bundle: ContentBundle | None = None) -> Callable[[str], Any]:
    bundle = bundle or load_directory(ROOT / "flows")[0]
    today = date(2026, 12, 6)
    return lambda name: as_of if name == "rules_as_of" else values_of(bundle, today)(name)


def test_the_dates_and_rule_values_are_filled_in_from_what_the_caller_passes(
    page: EmployerPage,
) -> None:
    english = employer_text("en", page=page, values=values(MonthYear(2027, 3, 1)))
    assert "Information as of March 2027;" in english
    assert "information as of February 2026, compared with saved copies" in english
    assert "Informatie van maart 2027;" in employer_text(
        "nl", page=page, values=values(MonthYear(2027, 3, 1)))


def test_enacting_the_proposal_changes_the_page() -> None:
    """No rule value is written on the page: `rules enact` changes it with every answer."""
    bundle, _ = load_directory(ROOT / "flows")
    changed = replace(bundle, rules=enacted_rules(date(2026, 12, 1), date(2026, 12, 6)))
    page = load_employer_page()
    before = employer_text("nl", page=page, values=values(MonthYear(2026, 2, 1)))
    after = employer_text("nl", page=page, values=values(MonthYear(2026, 2, 1), changed))
    assert "minstens 6 maanden" in before and "minstens 6 maanden" not in after
    assert "minstens 3 maanden" in after


def test_any_language_but_english_gets_the_dutch_page() -> None:
    assert [page_language(x) for x in ("en", "en-GB", "nl", "ar", "xx", "", None)] == [
        "en", "en", "nl", "nl", "nl", "nl", "nl"]


# --- a broken employer.yml: a clear error naming the file and line, never a crash -----------


def test_broken_yaml_raises_a_content_error_naming_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "employer.yml"
    broken.write_text("page: employer_twv\ntitle: {nl: \"Titel\", en: \"Title\"\n",
                      encoding="utf-8")
    with pytest.raises(ContentError, match=r"employer\.yml:\d+: YAML syntax error"):
        load_employer_page(broken)


def test_a_missing_file_raises_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="cannot read the employer's page"):
        load_employer_page(tmp_path / "nowhere.yml")


def test_a_missing_translation_is_reported_at_its_line() -> None:
    text = PAGE_FILE.read_text(encoding="utf-8")
    broken = text.replace('  en: "Hiring an asylum seeker: the work permit (TWV)"\n', "", 1)
    assert broken != text
    page, issues = read_employer_page(broken)
    assert page is None
    assert any("title" in str(issue) and "nl and en" in str(issue) for issue in issues), issues


def test_an_unknown_placeholder_and_a_bad_date_are_reported() -> None:
    text = PAGE_FILE.read_text(encoding="utf-8")
    broken = text.replace("Information as of {rules_as_of}", "Information as of {today}", 1)
    broken = broken.replace('verified: "2026-02"', 'verified: "2026-02-30"', 1)
    page, issues = read_employer_page(broken)
    assert page is None
    messages = " ".join(str(issue) for issue in issues)
    assert "unknown placeholder {today}" in messages
    assert "'2026-02-30' is not a real date" in messages


@pytest.mark.parametrize("garbage", ["", "- a\n- b\n", "just text", "page: [", "\x00\x01"])
def test_garbage_gives_issues_not_exceptions(garbage: str) -> None:
    page, issues = read_employer_page(garbage)
    assert page is None and issues


# --- the PDF writer on its own -----------------------------------------------------------------


def test_characters_outside_winansi_get_a_safe_fallback() -> None:
    assert to_winansi("één € ï") == "één € ï".encode("cp1252")
    assert to_winansi("ő → Ω\tx\x07") == b"o -> ? x"
    data = render_pdf([Title("مرحبا 你好"), Paragraph("Ωmega ő (brackets) \\ back")])
    assert pdf_structure(data) == 1
    assert rb"\(brackets\) \\ back" in data


def test_long_text_flows_onto_a_second_page_with_a_valid_xref(tmp_path: Path) -> None:
    blocks: list[Block] = [Title("Lang"), *[Paragraph("woord " * 400) for _ in range(6)],
              Heading("Links"), Bullets(("https://example.org/" + "a/b-c" * 60,), small=True)]
    data = render_pdf(blocks, title="Lang", lang="nl", footer="voet")
    assert pdf_structure(data) >= 2
    assert data.count(b"/Subtype /Link") >= 2  # the long URL is cut and each piece is a link
    if shutil.which("pdftotext"):
        assert "voet" in pdf_text(data, tmp_path)


# --- the routes ------------------------------------------------------------------------------


@pytest.fixture
async def client(page: EmployerPage) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(build_employer_router(page, values=lambda: values(MonthYear(2026, 11, 1))))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize(("lang", "filename"), [
    ("nl", "werkgever-twv.pdf"), ("en", "employer-twv.pdf"), ("xx", "werkgever-twv.pdf"),
    (None, "werkgever-twv.pdf"),
])
async def test_the_pdf_route(client: httpx.AsyncClient, lang: str | None, filename: str) -> None:
    response = await client.get("/employer/twv.pdf", params={"lang": lang} if lang else {})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'inline; filename="{filename}"'
    assert pdf_structure(response.content) == 1


async def test_the_html_route_is_a_self_contained_escaped_page(
    client: httpx.AsyncClient, page: EmployerPage
) -> None:
    response = await client.get("/employer/twv", params={"lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    body = response.text
    assert '<html lang="en">' in body and "Hiring an asylum seeker" in body
    assert "UWV&#x27;s conditions" in body  # escaped
    assert 'href="twv.pdf?lang=en"' in body
    assert not re.search(r"<(script|img|link)\b|src=", body)
    for source in page.sources:
        assert f'href="{source.url}"' in body
    dutch = await client.get("/employer/twv", params={"lang": "fr"})
    assert '<html lang="nl">' in dutch.text and "6 maanden" in dutch.text


async def test_html_escapes_what_the_content_says(page: EmployerPage) -> None:
    text = PAGE_FILE.read_text(encoding="utf-8").replace(
        "Wat is een TWV?", "Wat is <script>alert(1)</script> een TWV?", 1)
    hostile, issues = read_employer_page(text)
    assert hostile is not None, issues
    app = FastAPI()
    app.include_router(build_employer_router(hostile))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        body = (await client.get("/employer/twv")).text
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


async def test_a_broken_page_switches_the_routes_off_not_the_app(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> EmployerPage:
        raise ContentError("flows/employer.yml:3: YAML syntax error: boom")

    monkeypatch.setattr(web_employer, "load_employer_page", broken)
    app = FastAPI()
    app.include_router(build_employer_router())
    assert "YAML syntax error" in caplog.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as client:
        for path in ("/employer/twv.pdf", "/employer/twv"):
            response = await client.get(path)
            assert response.status_code == 503
            assert "uwv.nl" in response.text
