"""The Rules page (admin): list with status, dates and sources; enact a proposed rule from a
date (a new published rules.yml version, audited) and withdraw it; the eligibility flow uses
the enacted rule from that date and not before; bad input changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_services
from bot.db.models import ContentVersion
from bot.db.session import make_sessionmaker
from bot.dialogue.manager import Dialogue
from bot.settings import Settings
from bot.web.models import AuditEvent
from tests.support.dialog import Chat
from tests.support.eligibility import to_date
from tests.support.fakes import ScriptedNLU
from tests.web.conftest import Site, csrf_token

ENACTED = "2026-07-01"


async def rules_versions(site: Site) -> list[ContentVersion]:
    async with make_sessionmaker(site.engine)() as session:
        rows = await session.scalars(select(ContentVersion).where(
            ContentVersion.kind == "rules").order_by(ContentVersion.version))
        return list(rows.all())


async def enact(admin: httpx.AsyncClient, **fields: str) -> httpx.Response:
    page = await admin.get("/console/rules")
    data = {"csrf_token": csrf_token(page.text), "rule_id": "work_wait_months",
            "valid_from": ENACTED, "source_url": "https://example.org/staatsblad",
            "source_title": "Staatsblad", **fields}
    return await admin.post("/console/rules/enact", data=data)


async def eligibility(site: Site, settings: Settings, today: date, applied: str,
                      places: Any) -> Chat:
    services = await build_services(settings, engine=site.engine, nlu=ScriptedNLU(),
                                    today=lambda: today, places=places)
    chat = Chat(Dialogue(services), user=f"p-{today.isoformat()}")
    await chat.agree()
    await chat.payload("flow:may_i_work")
    await to_date(chat)
    await chat.say(applied)
    await chat.press("answer:yes")
    return chat


async def test_the_page_lists_every_rule_with_status_dates_and_sources(
    admin: httpx.AsyncClient,
) -> None:
    page = await admin.get("/console/rules")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="rule-work_wait_months-in_force"' in html
    assert 'data-testid="rule-work_wait_months-proposed"' in html
    assert 'data-testid="rule-twv_24_week_cap-ended"' in html
    assert "to 2023-11-29" in html and "from 2026-06-12" in html
    assert "https://www.rijksoverheid.nl/actueel/nieuws/2025/11/03/" in html
    assert "read by the flow may_i_work" in html
    assert 'action="/console/rules/enact"' in html and 'href="/console/rules"' in html


async def test_coaches_and_strangers_cannot_see_or_change_rules(
    coach: httpx.AsyncClient, anon: httpx.AsyncClient, site: Site,
) -> None:
    assert (await coach.get("/console/rules")).status_code == 403
    assert (await anon.get("/console/rules")).status_code == 303
    response = await coach.post("/console/rules/enact", data={
        "rule_id": "work_wait_months", "valid_from": ENACTED})
    assert response.status_code == 403
    assert len(await rules_versions(site)) == 1


async def test_a_form_without_its_token_is_refused(admin: httpx.AsyncClient, site: Site) -> None:
    response = await admin.post("/console/rules/enact", data={
        "rule_id": "work_wait_months", "valid_from": ENACTED})
    assert response.status_code == 403
    assert len(await rules_versions(site)) == 1


async def test_enact_publishes_a_version_and_the_flow_uses_it_from_that_date(
    admin: httpx.AsyncClient, site: Site, settings: Settings, places: Any,
) -> None:
    response = await enact(admin)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/rules?saved=2"
    versions = await rules_versions(site)
    assert [v.version for v in versions] == [1, 2]
    body = versions[-1].body
    assert 'valid_to: "2026-06-30"' in body and 'valid_from: "2026-07-01"' in body
    assert "# Rules with effective dates." in body  # an edit of the text, comments kept
    page = await admin.get("/console/rules?saved=2")
    assert "Published as rules.yml version 2" in page.text
    assert 'data-testid="withdraw-work_wait_months"' in page.text
    async with make_sessionmaker(site.engine)() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "rules.enact"))
    assert audit is not None and audit.detail["from"] == ENACTED

    # applied 15 April 2026: 6 months -> 15 October; 3 months (the enacted rule) -> 15 July
    before = await eligibility(site, settings, date(2026, 6, 30), "15-04-2026", places)
    before.expect("Not yet", "from October 15, 2026", "6 months after", "Information as of")
    after = await eligibility(site, settings, date(2026, 7, 20), "15-04-2026", places)
    # the admin read the new source on the console's today, on the live site
    assert f'verified: "{site.services.today().isoformat()}"\n' in body
    assert "seen: live" in body
    # The proposal is one package: "no work for low-chance groups" came into force with it.
    # Werkpad cannot tell a person's group, so it computes no date and says who to ask.
    assert body.count('status: in_force') >= 2
    for day in (date(2026, 7, 1), date(2026, 7, 20)):
        after = await eligibility(site, settings, day, "15-04-2026", places)
        after.expect("depends on your asylum procedure", "after 3 months",
                     "may not work at all", "ask COA")
        after.expect_not("Good news")
        after.expect_not("Not yet")


async def test_withdraw_puts_everything_back(
    admin: httpx.AsyncClient, site: Site, settings: Settings, places: Any,
) -> None:
    assert (await enact(admin)).status_code == 303
    page = await admin.get("/console/rules")
    response = await admin.post("/console/rules/withdraw", data={
        "csrf_token": csrf_token(page.text), "rule_id": "work_wait_months"})
    assert response.status_code == 303
    versions = await rules_versions(site)
    assert len(versions) == 3
    assert "status: proposed" in versions[-1].body
    assert 'valid_to: "2026-06-30"' not in versions[-1].body
    chat = await eligibility(site, settings, date(2026, 7, 20), "15-04-2026", places)
    chat.expect("Not yet", "from October 15, 2026")


async def test_bad_input_is_explained_and_changes_nothing(
    admin: httpx.AsyncClient, site: Site,
) -> None:
    for fields, message in [
        ({"valid_from": "31-06-2026"}, "is not a date"),
        ({"valid_from": ""}, "Pick the day"),
        ({"rule_id": "no_such_rule"}, "there is no rule"),
        ({"rule_id": "minimum_age_work"}, "has no version that is proposed"),
        ({"source_url": "javascript:alert(1)"}, "is not a web address"),
    ]:
        response = await enact(admin, **fields)
        assert response.status_code == 422, fields
        assert message in response.text and "The published rules are unchanged" in response.text
    # a version in force from a later day blocks an earlier one
    assert (await enact(admin)).status_code == 303
    page = await admin.get("/console/rules")
    response = await admin.post("/console/rules/withdraw", data={
        "csrf_token": csrf_token(page.text), "rule_id": "minimum_age_work"})
    assert response.status_code == 422
    assert "only a version that was enacted from a date can be withdrawn" in response.text
    assert len(await rules_versions(site)) == 2


async def test_the_cli_lists_enacts_and_withdraws(
    db_engine: AsyncEngine, site: Site, settings: Settings, capsys: Any,
) -> None:
    from argparse import Namespace

    from bot.cli import rules_command
    from bot.errors import WerkpadError
    from bot.settings import ROOT
    from tests.conftest import make_settings

    url = db_engine.url.render_as_string(hide_password=False)
    if "sqlite" not in url:  # the CLI makes its own engine; it cannot see a per-test schema
        pytest.skip("the CLI test runs on SQLite only")
    cli_settings = make_settings(ROOT, DATABASE_URL=url)
    assert await rules_command(cli_settings, Namespace(rules_command="list")) == 0
    listed = capsys.readouterr().out
    assert "work_wait_months" in listed and "proposed" in listed and "used by may_i_work" in listed
    assert await rules_command(cli_settings, Namespace(
        rules_command="enact", rule_id="work_wait_months", start="2026-07-01", source=None,
        title=None)) == 0
    assert "published rules.yml version 2" in capsys.readouterr().out
    try:
        await rules_command(cli_settings, Namespace(
            rules_command="enact", rule_id="work_wait_months", start="2026-07-01",
            source=None, title=None))
    except WerkpadError as exc:
        assert "has no version that is proposed" in str(exc)
    else:
        raise AssertionError("enacting twice must be refused")
    assert await rules_command(cli_settings, Namespace(
        rules_command="withdraw", rule_id="work_wait_months")) == 0
    assert [v.version for v in await rules_versions(site)] == [1, 2, 3]
