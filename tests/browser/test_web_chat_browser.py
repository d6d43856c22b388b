"""The web chat as a newcomer meets it on a phone, in a real Chromium against the real bot.

Screenshots go to test-artifacts/screenshots/ (gitignored) so a person can look at the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

pytestmark = pytest.mark.browser

REPLY_SECONDS = 20  # the first message of a run may wait for a cold NLU and database


def bot_bubbles(page: Page) -> Locator:
    return page.get_by_test_id("bubble-bot")


def my_bubbles(page: Page) -> Locator:
    return page.get_by_test_id("bubble-me")


def wait_idle(page: Page) -> None:
    """The reply is in: no typing dots, and the send button works again."""
    expect(page.get_by_test_id("typing")).to_have_count(0, timeout=REPLY_SECONDS * 1000)
    expect(page.get_by_test_id("send")).to_be_enabled()


def type_message(page: Page, text: str) -> None:
    page.get_by_test_id("input").tap()
    page.get_by_test_id("input").fill(text)
    page.get_by_test_id("send").tap()
    wait_idle(page)


def tap_chip(page: Page, label: str) -> None:
    """Tap the newest chip with exactly this label (older replies keep their chips)."""
    chip = page.get_by_test_id("chip").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    chip.last.tap()
    wait_idle(page)


def expect_bot_says(page: Page, text: str) -> None:
    expect(bot_bubbles(page).filter(has_text=text).last).to_be_visible(
        timeout=REPLY_SECONDS * 1000
    )


def agree(page: Page) -> None:
    """A newcomer reads the privacy message the page opens with, and agrees."""
    expect_bot_says(page, "Do you agree?")
    wait_idle(page)
    tap_chip(page, "Yes, I agree")
    expect_bot_says(page, "What would you like to do?")


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"))


def assert_inside_viewport(page: Page, locator: Locator) -> None:
    """Nothing sticks out sideways on a phone: no horizontal scrolling."""
    viewport = page.viewport_size
    assert viewport is not None
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None, f"element {i} is not rendered"
        assert box["width"] > 20 and box["height"] > 10, f"element {i} collapsed: {box}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, box
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_newcomer_checks_when_they_may_work(page: Page, screenshots: Path) -> None:
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect_bot_says(page, "Do you agree?")  # the page opens with the privacy message
    wait_idle(page)
    expect(my_bubbles(page)).to_have_count(0)
    shot(page, screenshots, "01-opened-consent")
    tap_chip(page, "Yes, I agree")
    expect_bot_says(page, "What would you like to do?")
    shot(page, screenshots, "02-menu")

    type_message(page, "can I work?")
    expect_bot_says(page, "where is your asylum case now?")
    type_message(page, "still waiting for the IND")  # typed, as people do
    expect_bot_says(page, "How old are you?")
    tap_chip(page, "18 or older")
    expect_bot_says(page, "another EU country must handle")
    tap_chip(page, "No")
    expect_bot_says(page, "Are you from a safe country of origin?")
    tap_chip(page, "No")
    expect_bot_says(page, "Where do you live now?")
    tap_chip(page, "In a COA location (azc)")
    expect_bot_says(page, "On what date did you apply for asylum?")
    shot(page, screenshots, "03-asks-date")
    type_message(page, "15-03-2025")
    expect_bot_says(page, "Do you have a W-document?")
    tap_chip(page, "Yes")

    expect(bot_bubbles(page).last).to_be_in_viewport()  # the chat scrolled to the newest reply
    shot(page, screenshots, "04-end-of-flow")
    answer = bot_bubbles(page).filter(has_text="you may work now").last
    expect(answer).to_be_visible()
    sources = answer.locator("ul.links a")
    expect(sources.first).to_have_attribute("href", re.compile(r"^https://www\.uwv\.nl/"))
    expect(sources.first).to_have_attribute("target", "_blank")
    expect(sources.first).to_have_attribute("rel", re.compile("noopener"))
    answer.scroll_into_view_if_needed()
    shot(page, screenshots, "05-answer-with-sources")
    assert_inside_viewport(page, bot_bubbles(page))
    assert_inside_viewport(page, page.get_by_test_id("chip"))


def test_choosing_arabic_turns_the_page_right_to_left(page: Page, screenshots: Path) -> None:
    agree(page)
    page.get_by_test_id("language").select_option("ar")
    wait_idle(page)

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_test_id("input")).to_have_attribute("placeholder", "اكتب رسالة")
    type_message(page, "هل يمكنني العمل؟")
    expect(bot_bubbles(page).last).to_be_visible()
    shot(page, screenshots, "07-arabic-rtl")

    bubbles = bot_bubbles(page)
    assert_inside_viewport(page, bubbles)
    # Right to left: the bot's bubbles start at the right edge, the person's at the left.
    viewport_width = (page.viewport_size or {"width": 0})["width"]
    bot_box = bubbles.last.bounding_box()
    mine_box = my_bubbles(page).last.bounding_box()
    assert bot_box is not None and mine_box is not None
    assert bot_box["x"] + bot_box["width"] > viewport_width - 30, bot_box
    assert mine_box["x"] < 30, mine_box
    expect(bubbles.last).to_have_css("direction", "rtl")


def test_html_in_a_message_is_shown_as_text(page: Page, screenshots: Path) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    agree(page)
    text = "<script>alert(1)</script> and <b>x</b>"

    type_message(page, text)
    expect(my_bubbles(page).last).to_have_text(text)
    expect(bot_bubbles(page).last).to_be_visible()
    page.wait_for_timeout(300)  # give a stray script time to fire
    shot(page, screenshots, "08-html-as-text")

    assert dialogs == []
    messages = page.get_by_test_id("messages")
    expect(messages.locator("b")).to_have_count(0)
    expect(messages.locator("script")).to_have_count(0)

    page.reload()  # from the history, the same text must stay text
    expect(my_bubbles(page).filter(has_text="<b>x</b>")).to_have_count(1)
    expect(messages.locator("b")).to_have_count(0)
    expect(messages.locator("script")).to_have_count(0)
    assert dialogs == []


def bot_texts(page: Page) -> list[str]:
    """The text of each bot bubble without its links, chips and marks."""
    return page.locator('[data-testid="bubble-bot"] > div:first-child').all_inner_texts()


def test_reloading_restores_the_conversation(page: Page, screenshots: Path) -> None:
    agree(page)
    type_message(page, "What is a TWV?")
    expect_bot_says(page, "work permit")
    mine_before, bots_before = my_bubbles(page).all_inner_texts(), bot_texts(page)

    page.reload()
    expect(bot_bubbles(page).last).to_contain_text("work permit")
    wait_idle(page)
    shot(page, screenshots, "09-after-reload")

    assert my_bubbles(page).all_inner_texts() == mine_before == ["Yes, I agree", "What is a TWV?"]
    # Nothing is stored before consent: the privacy message itself is not in the history.
    assert "Do you agree?" in bots_before[0]
    assert bot_texts(page) == bots_before[1:]
    # The restored menu's buttons still work.
    chip = page.get_by_test_id("chip").filter(has_text="May I work?").last
    expect(chip).to_be_enabled()
    chip.tap()
    wait_idle(page)
    expect_bot_says(page, "where is your asylum case now?")


def test_reloaded_answers_keep_their_source_links(page: Page) -> None:
    agree(page)
    type_message(page, "What is a TWV?")
    answer = bot_bubbles(page).filter(has_text="work permit").last
    expect(answer.locator("ul.links a").first).to_be_visible()
    links_before = answer.locator("ul.links a").all_inner_texts()

    page.reload()
    answer = bot_bubbles(page).filter(has_text="work permit").last
    expect(answer).to_be_visible()
    wait_idle(page)
    assert answer.locator("ul.links a").all_inner_texts() == links_before
