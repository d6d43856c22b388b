"""The admin pages in a real headless Chromium: sign in, import a job-leads CSV and read the
row report, see the leads, open the dashboard after a chat. Any page or console error (a
style blocked by the CSP included) fails the test.

Screenshots go to test-artifacts/screenshots/console-2*.png.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_console_browser import (  # noqa: F401  (fixtures used by name)
    ADMIN,
    console,
    console_server,
    laptop,
    shot,
    sign_in,
)
from tests.browser.test_web_chat_browser import agree, type_message

pytestmark = pytest.mark.browser

HEADER = ("employer,title,sector,municipality,hours_min,hours_max,language_level,twv_willing,"
          "contact_route,valid_until\n")


def leads_file(folder: Path) -> Path:
    future = (date.today() + timedelta(days=120)).isoformat()
    path = folder / "leads.csv"
    path.write_text(
        HEADER
        + f"Schoon BV,Schoonmaker,cleaning,Amsterdam,16,24,none,yes,Via coach,{future}\n"
        + f"Hotel Zuid,Afwasser,horeca,Rotterdam,20,32,none,ja,Via coach,{future}\n"
        + f"Magazijn BV,Orderpicker,warehouse,Bergen,32,40,none,yes,Via coach,{future}\n"
        + "Zorg BV,Helper,care,Utrecht,12,20,A2,yes,Via coach,2001-01-01\n",
        encoding="utf-8")
    return path


def test_admin_imports_leads_and_opens_the_dashboard(
    console: Page,  # noqa: F811
    console_server: LiveServer,  # noqa: F811
    browser: Browser,
    screenshots: Path,
    tmp_path: Path,
) -> None:
    # Someone chats first, so that the dashboard has something to count.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US")
    chat = phone.new_page()
    try:
        chat.goto(console_server.url)
        agree(chat)
        type_message(chat, "How long does a TWV take?")
    finally:
        phone.close()

    sign_in(console, console_server, ADMIN, "jobs/import")
    expect(console.get_by_role("heading", name="Import job leads")).to_be_visible()
    console.get_by_test_id("file").set_input_files(str(leads_file(tmp_path)))
    console.get_by_test_id("upload").click()
    summary = console.get_by_test_id("report-summary")
    expect(summary).to_contain_text("2 leads imported.")
    expect(summary).to_contain_text("2 rows rejected")
    rejected = console.get_by_test_id("rejected-row")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text("municipality 'Bergen' may be")
    expect(rejected.nth(1)).to_contain_text("valid_until 2001-01-01 is in the past")
    shot(console, screenshots, "20-jobs-import-report")

    console.get_by_test_id("to-list").click()
    expect(console.get_by_test_id("lead-row")).to_have_count(2)
    expect(console.get_by_test_id("count")).to_contain_text("2 leads")
    shot(console, screenshots, "21-jobs-list", full=False)
    console.get_by_role("link", name="Afwasser").click()
    expect(console.get_by_test_id("field-sector")).to_have_value("hospitality")  # from horeca
    console.get_by_test_id("field-hours_min").fill("40")
    console.get_by_test_id("save").click()
    expect(console.get_by_test_id("error-hours_min")).to_contain_text("hours 40-32")
    shot(console, screenshots, "23-jobs-edit-error")
    console.get_by_test_id("nav-users").click()
    expect(console.get_by_test_id("user-row")).to_have_count(2)
    shot(console, screenshots, "24-users", full=False)

    console.get_by_test_id("nav-dashboard").click()
    expect(console.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    conversations = console.get_by_test_id("chart-conversations")
    expect(conversations.locator("svg[role=img]")).to_be_visible()
    expect(conversations.locator("desc")).to_contain_text("1 conversation in the last 30 days")
    expect(console.get_by_test_id("chart-intents").locator("desc")).to_contain_text(
        "work_permit")
    box = conversations.locator("svg").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100  # drawn, not blank
    conversations.get_by_text("The numbers as a table").click()
    expect(console.get_by_test_id("table-conversations")).to_be_visible()
    shot(console, screenshots, "22-dashboard")
