"""The NLU page and the unanswered questions in a real headless Chromium, against the whole
running bot: add a training example, retrain (the page's own script polls the progress), read
the evaluation report; a question the bot could not answer shows up for the admin.

Its own live server (module scope): the examples published here stay in this module's
database. Screenshots go to test-artifacts/screenshots/console-nlu-*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import test_console_browser as console_tests
from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_console_browser import ADMIN, shot, sign_in
from tests.browser.test_web_chat_browser import agree, expect_bot_says, type_message

# the console fixtures (a live server with an admin, a laptop browser page), shared
console_server = console_tests.console_server
laptop = console_tests.laptop
console = console_tests.console

pytestmark = pytest.mark.browser

NEW_EXAMPLE = "good day to you werkpad team"
RETRAIN_SECONDS = 240  # a full training of the 13 languages plus the evaluation, on a busy box
NONSENSE = "blorf wibble zzqx snorkel"


def test_admin_adds_an_example_retrains_and_reads_the_report(
    console: Page, console_server: LiveServer, screenshots: Path
) -> None:
    sign_in(console, console_server, ADMIN, "nlu")
    expect(console.get_by_test_id("counts")).to_be_visible()
    # nothing runs on page load (a report kept from an earlier run may be shown)
    expect(console.get_by_test_id("job-state")).to_have_text("No job has run yet.")
    shot(console, screenshots, "nlu-01-overview", full=False)

    console.get_by_test_id("cell-greet-en").click()
    box = console.get_by_test_id("examples")
    before = box.input_value()
    assert "hello" in before.splitlines()

    # a duplicate and an example of another intent are refused, with the lines named
    box.fill(before + "\nhello\nbye")
    console.get_by_test_id("save").click()
    expect(console.get_by_test_id("errors")).to_contain_text("repeats line")
    expect(console.get_by_test_id("errors")).to_contain_text("already an example of 'goodbye'")
    shot(console, screenshots, "nlu-02-refused")

    console.get_by_test_id("examples").fill(before + "\n" + NEW_EXAMPLE)
    console.get_by_test_id("save").click()
    expect(console.get_by_test_id("saved")).to_contain_text("Saved as version 1 of en.yml")
    expect(console.get_by_test_id("examples")).to_have_value(before + "\n" + NEW_EXAMPLE)
    expect(console.get_by_test_id("versions")).to_contain_text(ADMIN[0])

    console.goto(console_server.url + "console/nlu")
    expect(console.get_by_test_id("pending")).to_be_visible()
    console.get_by_test_id("retrain").click()
    expect(console.get_by_test_id("job-state")).to_have_text("Running")
    expect(console.get_by_test_id("retrain")).to_be_disabled()
    shot(console, screenshots, "nlu-03-retraining", full=False)
    # the script reloads the page when the job ends
    expect(console.get_by_test_id("job-state")).to_have_text("Done",
                                                             timeout=RETRAIN_SECONDS * 1000)
    expect(console.get_by_test_id("job-message")).to_contain_text("in use")
    expect(console.get_by_test_id("pending")).to_have_count(0)
    expect(console.get_by_test_id("report-summary")).to_contain_text("accuracy")
    expect(console.get_by_test_id("per-language")).to_contain_text("ti")
    expect(console.get_by_test_id("confusions")).to_be_visible()
    console.get_by_test_id("report").scroll_into_view_if_needed()
    shot(console, screenshots, "nlu-04-report")


def test_a_question_the_bot_missed_reaches_the_unanswered_page(
    console: Page, console_server: LiveServer, browser: Browser, screenshots: Path
) -> None:
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    chat = phone.new_page()
    try:
        chat.goto(console_server.url)
        agree(chat)
        type_message(chat, NONSENSE)
        expect_bot_says(chat, "Sorry, I did not understand that")
    finally:
        phone.close()

    sign_in(console, console_server, ADMIN, "unanswered")
    group = console.get_by_test_id("group").filter(has_text=NONSENSE)
    expect(group).to_be_visible()
    expect(group.get_by_test_id("group-english")).to_contain_text("(English)")
    shot(console, screenshots, "nlu-05-unanswered", full=False)
    group.get_by_test_id("mark-ignored").click()
    expect(console.get_by_test_id("done")).to_contain_text("marked ignored")
    expect(console.get_by_test_id("group").filter(has_text=NONSENSE)).to_have_count(0)
