"""The chat page and its files: self-contained, safe with any text, right-to-left where needed."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from web_chat_fakes import LANGUAGES, FakeChatService

from bot.channels.web import RTL_LANGUAGES, build_chat_router
from bot.channels.web.languages import direction, negotiate

STATIC = Path(__file__).parents[3] / "bot" / "channels" / "web" / "static"
UI_KEYS = ("placeholder", "send", "retry", "error", "tooLong", "language", "mt")


class PageParser(HTMLParser):
    """Collects every tag's attributes and the chat config the page embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_config = False
        self.config_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_config = dict(attrs).get("id") == "chat-config"

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_text += data

    def by_id(self, element_id: str) -> tuple[str, dict[str, str | None]]:
        [found] = [(tag, attrs) for tag, attrs in self.tags if attrs.get("id") == element_id]
        return found

    @property
    def config(self) -> dict[str, object]:
        result: dict[str, object] = json.loads(self.config_text)
        return result


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


async def get_page(
    client: httpx.AsyncClient, accept_language: str | None = None
) -> tuple[httpx.Response, PageParser]:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = await client.get("/", headers=headers)
    return response, parse(response.text)


async def test_page_has_the_chat_elements(client: httpx.AsyncClient) -> None:
    response, page = await get_page(client)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert page.by_id("messages")[1]["role"] == "log"
    assert page.by_id("messages")[1]["aria-live"] == "polite"
    assert page.by_id("input")[0] == "textarea"
    assert page.by_id("input")[1]["dir"] == "auto"
    assert page.by_id("send")[0] == "button"
    labels = {attrs.get("for") for tag, attrs in page.tags if tag == "label"}
    assert {"input", "language"} <= labels


async def test_page_loads_nothing_from_elsewhere(client: httpx.AsyncClient) -> None:
    response, page = await get_page(client)

    assert not re.search(r"(?i)https?:|//[a-z]", response.text)
    for _tag, attrs in page.tags:
        for name in ("src", "href"):
            url = attrs.get(name)
            if url is not None:
                assert (url.startswith("/") and not url.startswith("//")) or url == "data:,"
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_language_picker_lists_each_language_in_its_own_name(
    client: httpx.AsyncClient,
) -> None:
    response, page = await get_page(client)

    options = [attrs for tag, attrs in page.tags if tag == "option"]
    assert [option["value"] for option in options] == list(LANGUAGES)
    assert all(option["lang"] == option["value"] for option in options)
    for code, name in LANGUAGES.items():
        assert f">{name}</option>" in response.text, code


@pytest.mark.parametrize(
    ("accept_language", "lang", "dir_"),
    [
        (None, "en", "ltr"),
        ("ar-SY,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("fa-IR", "fa", "rtl"),
        ("ps", "ps", "rtl"),
        ("ckb", "ckb", "rtl"),
        ("kmr", "kmr", "ltr"),
        ("ti-ER,ti;q=0.9", "ti", "ltr"),
        ("nl;q=0.5, tr", "tr", "ltr"),
        ("de-DE,de", "en", "ltr"),
    ],
)
async def test_page_starts_in_the_browsers_language_and_direction(
    client: httpx.AsyncClient, accept_language: str | None, lang: str, dir_: str
) -> None:
    _, page = await get_page(client, accept_language)

    assert page.by_id("language") is not None
    html_attrs = next(attrs for tag, attrs in page.tags if tag == "html")
    assert (html_attrs["lang"], html_attrs["dir"]) == (lang, dir_)
    assert page.config["defaultLanguage"] == lang


def test_right_to_left_languages() -> None:
    assert {"ar", "fa", "ps", "ckb"} == RTL_LANGUAGES
    assert [code for code in LANGUAGES if direction(code) == "rtl"] == ["ar", "fa", "ps", "ckb"]
    assert direction("ar-EG") == "rtl"
    assert negotiate("xx, *", LANGUAGES, "nl") == "nl"
    assert negotiate("fr;q=bad, so", LANGUAGES, "en") == "so"


async def test_page_config_gives_the_script_what_it_needs(client: httpx.AsyncClient) -> None:
    _, page = await get_page(client)

    config = page.config
    assert config["messageUrl"] == "/chat/api/message"
    assert config["historyUrl"] == "/chat/api/history"
    assert config["languages"] == LANGUAGES
    assert config["rtl"] == sorted(RTL_LANGUAGES)
    assert config["maxBodyBytes"] == 20 * 1024
    assert config["startPayload"] is None


async def test_language_names_cannot_break_out_of_the_page(service: FakeChatService) -> None:
    app = FastAPI()
    evil = '</script><script>alert(1)</script><b a="x">'
    app.include_router(build_chat_router(service, languages={"en": evil}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response, page = await get_page(client)

    assert "<script>alert" not in response.text
    assert page.config["languages"] == {"en": evil}


async def test_router_works_under_a_prefix(service: FakeChatService) -> None:
    app = FastAPI()
    router = build_chat_router(service, languages=LANGUAGES, start_payload="cmd:menu")
    app.include_router(router, prefix="/hulp")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/hulp/")
        page = parse(response.text)
        sources = [attrs["src"] for tag, attrs in page.tags if tag == "script" and "src" in attrs]
        script = next(src for src in sources if src and "/chat.js" in src)
        assert script.startswith("/hulp/chat/static/chat.js?v=")
        assert (await client.get(script)).status_code == 200

    assert page.config["messageUrl"] == "/hulp/chat/api/message"
    assert page.config["startPayload"] == "cmd:menu"


def test_router_needs_a_language(service: FakeChatService) -> None:
    with pytest.raises(ValueError, match="at least one language"):
        build_chat_router(service, languages={})


async def test_static_files_are_served_and_cached_by_version(client: httpx.AsyncClient) -> None:
    _, page = await get_page(client)
    urls = [attrs.get("src") or attrs.get("href") for tag, attrs in page.tags]
    script = next(url for url in urls if url and "chat.js" in url)
    strings = next(url for url in urls if url and "ui-strings.js" in url)
    style = next(url for url in urls if url and "chat.css" in url)

    js = await client.get(script)
    css = await client.get(style)

    assert js.headers["content-type"].startswith("text/javascript")
    assert css.headers["content-type"].startswith("text/css")
    assert js.text == (STATIC / "chat.js").read_text(encoding="utf-8")
    assert (await client.get(strings)).status_code == 200
    assert urls.index(strings) < urls.index(script), "strings load before chat.js"
    assert "immutable" in js.headers["cache-control"]
    unversioned = await client.get("/chat/static/chat.js")
    assert unversioned.headers["cache-control"] == "no-cache"
    again = await client.get(script, headers={"If-None-Match": js.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("name", ["missing.js", "..%2Frouter.py", "chat.html", "%2e%2e"])
async def test_only_the_page_files_are_served(client: httpx.AsyncClient, name: str) -> None:
    response = await client.get(f"/chat/static/{name}")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["chat.js", "ui-strings.js"])
def test_scripts_never_write_html(name: str) -> None:
    script = (STATIC / name).read_text(encoding="utf-8")

    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "new Function" not in script
    assert not re.search(r"https?://", script)


def test_style_sheet_loads_nothing_from_elsewhere() -> None:
    css = (STATIC / "chat.css").read_text(encoding="utf-8")

    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_ui_strings_exist_for_every_language() -> None:
    script = (STATIC / "ui-strings.js").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"\n    (\w+): \{(.*?)\n    \}", script, flags=re.S))

    assert set(blocks) == set(LANGUAGES)
    for code, block in blocks.items():
        assert [key for key in UI_KEYS if f"{key}:" not in block] == [], code
    others = ", ".join(code for code in LANGUAGES if code not in ("en", "nl"))
    assert f"The other 11 ({others}" in " ".join(script.split())
    assert "not yet reviewed by a native speaker" in script
