"""The admin console in a real headless Chromium, against the whole running bot: sign in, edit
and publish a FAQ answer and see the bot use it, check, test and publish a flow, roll back.

Reuses the live server of conftest.py (shared with the web chat tests, which run after these):
every test puts the content back as it found it, through the console's own rollback.
Screenshots go to test-artifacts/screenshots/console-*.png.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bot.db.session import make_engine, make_sessionmaker
from bot.web import accounts
from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_web_chat_browser import agree, expect_bot_says, tap_chip, type_message

pytestmark = pytest.mark.browser

ADMIN = ("admin@werkpad.test", "Ada Admin", "a long admin password")
COACH = ("coach@werkpad.test", "Cas Coach", "a long coach password")
LAPTOP: ViewportSize = {"width": 1280, "height": 900}
NEW_HOW_LONG = ("Updated in the console: UWV decides within {twv_decision_weeks} weeks of a "
                "complete application.")
SHOWN_HOW_LONG = NEW_HOW_LONG.replace("{twv_decision_weeks}", "5")  # the rule value, filled in


async def _add_users(database: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            for email, name, password in (ADMIN, COACH):
                if await accounts.find_user(session, email=email) is None:
                    await accounts.create_user(
                        session, email=email, name=name, password=password,
                        role="admin" if email == ADMIN[0] else "coach")
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def console_server(live_server: LiveServer) -> LiveServer:
    """The live server with an admin and a coach (as `users add` would make them)."""
    # Playwright's sync API keeps an event loop in this thread; the database work gets its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _add_users(live_server.database)).result()
    return live_server


@pytest.fixture
def laptop(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=LAPTOP, locale="en-US", color_scheme="light")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def console(laptop: BrowserContext, console_server: LiveServer) -> Iterator[Page]:
    """A console page on a laptop; fails the test on any page or console error."""
    page = laptop.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    # A form refused on purpose (422: the problems are on the page) is not a page error.
    errors = [e for e in errors if "status of 422" not in e]
    assert not errors, f"the console logged errors: {errors}"


def sign_in(page: Page, server: LiveServer, who: tuple[str, str, str], path: str = "") -> None:
    page.goto(server.url + "console/" + path)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_test_id("email").fill(who[0])
    page.get_by_test_id("password").fill(who[2])
    page.get_by_test_id("sign-in").click()
    role = "admin" if who == ADMIN else "coach"
    expect(page.get_by_test_id("who")).to_have_text(f"{who[1]} ({role})")


def shot(page: Page, folder: Path, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(folder / f"console-{name}.png"), full_page=full)


def restore_version(page: Page, server: LiveServer, kind: str, key: str, version: int) -> None:
    page.goto(f"{server.url}console/versions/{kind}/{key}")
    page.get_by_test_id(f"rollback-{version}").click()
    expect(page.get_by_test_id("versions")).to_contain_text("(current)")


def test_admin_edits_a_faq_answer_and_the_bot_uses_it(
    console: Page, console_server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    sign_in(console, console_server, ADMIN, "faq")
    expect(console.get_by_test_id("faq-table")).to_be_visible()
    shot(console, screenshots, "01-faq-list", full=False)

    console.get_by_test_id("faq-link").filter(
        has_text=re.compile(r"^work_permit/how_long$")).click()
    console.get_by_test_id("tab-en").click()
    expect(console.get_by_test_id("status")).to_have_text("present")
    console.get_by_test_id("text").fill(NEW_HOW_LONG)
    console.get_by_test_id("save").click()
    saved = console.get_by_test_id("saved")
    expect(saved).to_contain_text("Saved and published as version")
    version = int(re.findall(r"version (\d+)", saved.inner_text())[0])
    console.get_by_test_id("tab-ar").click()
    expect(console.get_by_test_id("status")).to_have_text("stale")  # English changed
    shot(console, screenshots, "02-faq-arabic-stale")

    # A bad source date is shown at its field, and nothing is published.
    console.get_by_test_id("tab-en").click()
    console.get_by_test_id("source-verified").first.fill("last week")
    console.get_by_test_id("save").click()
    expect(console.get_by_test_id("error-source-0-verified")).to_be_visible()
    shot(console, screenshots, "03-faq-field-error")

    # The person's side: the web chat on a phone shows the new text at once.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    chat = phone.new_page()
    try:
        chat.goto(console_server.url)
        agree(chat)
        type_message(chat, "How long does a TWV take?")
        expect_bot_says(chat, SHOWN_HOW_LONG)
        shot(chat, screenshots, "04-chat-uses-new-answer", full=False)
    finally:
        phone.close()

    console.goto(f"{console_server.url}console/versions/answers/work_permit")
    console.get_by_test_id("diff-link").first.click()
    expect(console.get_by_test_id("diff")).to_contain_text(NEW_HOW_LONG)
    shot(console, screenshots, "05-faq-diff", full=False)
    restore_version(console, console_server, "answers", "work_permit", version - 1)


def test_admin_checks_tests_and_publishes_a_flow(
    console: Page, console_server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    sign_in(console, console_server, ADMIN, "flows")
    console.get_by_test_id("flow-link").filter(has_text=re.compile("^coach$")).click()
    expect(console.get_by_test_id("nodes")).to_contain_text("ask_reason")
    shot(console, screenshots, "06-flow-editor")
    yaml_box = console.get_by_test_id("yaml")
    original = yaml_box.input_value()

    broken = original.replace("  - id: ask_reason\n", "  - id: ask_reason\n    next: nowhere\n", 1)
    yaml_box.fill(broken)
    console.get_by_test_id("validate").click()
    expect(console.get_by_test_id("issues")).to_contain_text("nowhere")
    bad_line = console.get_by_test_id("bad-line").first
    expect(bad_line).to_contain_text("next: nowhere")
    bad_line.scroll_into_view_if_needed()
    shot(console, screenshots, "07-flow-error-at-line", full=False)

    edited = original.replace("A coach is a real person", "A coach is a real human", 1)
    console.get_by_test_id("yaml").fill(edited)
    console.get_by_test_id("answers").fill("Something else")
    console.get_by_test_id("test").click()
    expect(console.get_by_test_id("valid")).to_contain_text("Not published yet")
    expect(console.get_by_test_id("chat")).to_contain_text("A coach is a real human")
    console.get_by_test_id("chat").scroll_into_view_if_needed()
    shot(console, screenshots, "08-flow-test-chat", full=False)

    console.get_by_test_id("publish").click()
    saved = console.get_by_test_id("saved")
    expect(saved).to_contain_text("Published as version")
    version = int(re.findall(r"version (\d+)", saved.inner_text())[0])
    shot(console, screenshots, "09-flow-published", full=False)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    chat = phone.new_page()
    try:
        chat.goto(console_server.url)
        agree(chat)
        tap_chip(chat, "Talk to a coach")
        expect_bot_says(chat, "A coach is a real human")
        shot(chat, screenshots, "10-chat-uses-new-flow", full=False)
    finally:
        phone.close()

    restore_version(console, console_server, "flow", "coach", version - 1)
    console.goto(f"{console_server.url}console/flows/coach")
    expect(console.get_by_test_id("yaml")).to_contain_text("A coach is a real person")


def test_a_coach_signs_in_on_a_phone_and_sees_no_admin_pages(
    browser: Browser, console_server: LiveServer, screenshots: Path
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="en-US")
    page = context.new_page()
    try:
        page.goto(console_server.url + "console/")
        page.get_by_test_id("email").fill(COACH[0])
        page.get_by_test_id("password").fill("not the password")
        page.get_by_test_id("sign-in").click()
        expect(page.get_by_test_id("login-error")).to_contain_text(
            "Wrong e-mail address or password.")
        shot(page, screenshots, "11-phone-sign-in-error", full=False)
        sign_in(page, console_server, COACH)
        expect(page.get_by_role("link", name="FAQ")).to_have_count(0)
        shot(page, screenshots, "12-phone-coach-home", full=False)
        page.goto(console_server.url + "console/faq")
        expect(page.get_by_test_id("error")).to_contain_text("admin users only")
        page.get_by_test_id("logout").click()
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        page.goto(console_server.url + "console/faq")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        context.close()


def test_coach_claims_a_ticket_and_the_person_reads_the_reply(
    console: Page, console_server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    """A person asks for a coach in the web chat; a coach claims the ticket in the console and
    answers; the person's open page shows the notice and the answer without reloading."""
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    chat = phone.new_page()
    try:
        chat.goto(console_server.url)
        agree(chat)
        tap_chip(chat, "Talk to a coach")
        tap_chip(chat, "My work permit")
        expect_bot_says(chat, "I have asked a job coach")

        sign_in(console, console_server, COACH, "tickets")
        expect(console.get_by_role("heading", name="Coach queue")).to_be_visible()
        console.get_by_test_id("queue").get_by_role("link").last.click()
        expect(console.get_by_test_id("ticket-summary")).to_contain_text("work_permit")
        shot(console, screenshots, "30-ticket-waiting", full=False)
        console.get_by_test_id("ticket-claim").click()
        expect(console.get_by_test_id("ticket-status")).to_contain_text("claimed")
        console.get_by_test_id("reply-text").fill("Hello, I am Cas. Which city do you live in?")
        console.get_by_test_id("ticket-reply").click()
        conversation = console.frame_locator("[data-testid=conversation-frame]")
        expect(conversation.get_by_test_id("conversation")).to_contain_text("Which city")
        shot(console, screenshots, "31-ticket-claimed", full=False)

        expect_bot_says(chat, "Cas Coach, a job coach, is here now")
        expect_bot_says(chat, "Cas Coach: Hello, I am Cas. Which city do you live in?")
        shot(chat, screenshots, "32-chat-coach-reply", full=False)
        type_message(chat, "I live in Budel")
        # the frame refreshes itself: the person's words appear without a reload
        expect(conversation.get_by_test_id("conversation")).to_contain_text(
            "I live in Budel", timeout=15_000)
        console.get_by_test_id("ticket-close").click()
        expect(console.get_by_test_id("ticket-status")).to_contain_text("closed")
        expect_bot_says(chat, "The coach has closed this conversation")
    finally:
        phone.close()
