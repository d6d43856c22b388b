"""Unanswered questions: fallbacks and "did you mean" questions from the event log, grouped by
similarity per language, translated, pseudonymised; turned into a training example or a FAQ
draft, or marked handled / ignored (kept as a JSON content version, no table of its own)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import repositories as repo
from bot.db.models import utcnow
from bot.db.session import make_sessionmaker
from bot.nlu.training_data import read_training_text
from bot.settings import Settings
from bot.web.unanswered import Asked, group_questions
from tests.support.fakes import EchoTranslator, ScriptedNLU
from tests.web.conftest import ADMIN, Site, client_for, login, make_site, token_of

XSS = "<script>alert(1)</script> werk <b>nu</b>?"
SEEDED = [
    # (person, text, language, intent, confidence, meta, minutes ago)
    ("tg-secret-111", "How much does a bike cost", "en", "out_of_scope", 0.1,
     {"fallback": 1}, 50),
    ("tg-secret-222", "how much does a bike cost?", "en", "out_of_scope", 0.12,
     {"fallback": 1}, 40),
    ("tg-secret-222", "how much does a bicycle cost", "en", "out_of_scope", 0.2,
     {"fallback": 2}, 30),
    ("tg-secret-333", "ik wil een fiets kopen", "nl", "out_of_scope", 0.1, {"fallback": 1}, 20),
    ("tg-secret-333", "twv for my cleaning job at the hotel", "en", "work_permit/how_long", 0.41,
     {"clarify": ["work_permit/who_applies", "find_job"]}, 10),
    ("tg-secret-111", XSS, "nl", "out_of_scope", 0.0, {"fallback": 1}, 5),
    # understood: not unanswered
    ("tg-secret-111", "hello", "en", "greet", 0.95, {}, 3),
    ("tg-secret-222", "what is a twv", "en", "work_permit/what_is_twv", 0.9, {}, 2),
]


async def seed(engine: AsyncEngine, rows: list[tuple[Any, ...]] = SEEDED) -> None:
    now = utcnow()
    async with make_sessionmaker(engine)() as session, session.begin():
        for external, text, lang, intent, confidence, meta, ago in rows:
            person, _ = await repo.get_or_create_person(session, channel="telegram",
                                                        external_id=external)
            await repo.add_event(session, person_id=person.id, direction="in", kind="text",
                                 text=text, intent=intent, confidence=confidence, language=lang,
                                 meta=meta, at=now - timedelta(minutes=ago))
            await repo.add_event(session, person_id=person.id, direction="out", kind="text",
                                 text="Sorry, I did not understand", language=lang,
                                 at=now - timedelta(minutes=ago))


def groups_in(html: str) -> list[dict[str, str]]:
    out = []
    for block in html.split('data-testid="group" data-group="')[1:]:
        key = block.split('"', 1)[0]
        text = re.search(r'data-testid="group-text">(.*?)</span>', block, re.S)
        count = re.search(r'data-testid="group-count">(\d+)<', block)
        english = re.search(r'data-testid="group-english">(.*?)</p>', block, re.S)
        assert text and count and english
        out.append({"key": key, "text": text.group(1), "count": count.group(1),
                    "english": english.group(1).strip(), "block": block})
    return out


def group_of(html: str, text: str) -> dict[str, str]:
    return next(g for g in groups_in(html) if g["text"] == text)


async def test_fallbacks_and_clarify_questions_are_grouped_per_language(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site.engine)
    page = await admin.get("/console/unanswered")
    assert page.status_code == 200
    groups = groups_in(page.text)
    assert [(g["text"], g["count"]) for g in groups] == [
        ("How much does a bike cost", "3"),  # the bicycle variant shares 5 of 7 words
        ("&lt;script&gt;alert(1)&lt;/script&gt; werk &lt;b&gt;nu&lt;/b&gt;?", "1"),
        ("twv for my cleaning job at the hotel", "1"),
        ("ik wil een fiets kopen", "1"),
    ]
    bike = group_of(page.text, "How much does a bike cost")
    assert "by 2 people" in bike["block"] and "<summary>2 variants</summary>" in bike["block"]
    assert "How much does a bike cost <small>×2</small>" in bike["block"]
    assert "how much does a bicycle cost <small>×1</small>" in bike["block"]
    assert "fallback ×3" in bike["block"]
    twv = group_of(page.text, "twv for my cleaning job at the hotel")
    assert "clarify ×1" in twv["block"]
    assert ("NLU thought of: work_permit/who_applies, find_job, work_permit/how_long"
            in twv["block"])
    assert '<option value="work_permit/who_applies" selected>' in twv["block"]
    # no translator configured: said so, not left blank
    assert group_of(page.text, "ik wil een fiets kopen")["english"] == (
        "<em>no translation available</em>")
    assert "<script>alert(1)" not in page.text and "<b>nu</b>" not in page.text
    # pseudonymised: no channel ids, no pseudonyms
    assert "tg-secret" not in page.text
    assert "hello" not in page.text.lower().split("<main>")[1].split("unanswered")[0]
    dutch = await admin.get("/console/unanswered", params={"lang": "nl"})
    assert [g["text"] for g in groups_in(dutch.text)][-1] == "ik wil een fiets kopen"
    assert len(groups_in(dutch.text)) == 2


async def test_the_translation_comes_from_the_translator_service(
    db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any
) -> None:
    site = await make_site(settings, db_engine, nlu, places, translator=EchoTranslator())
    await seed(site.engine)
    async with client_for(site.app) as client:
        await login(client, ADMIN[0], ADMIN[2])
        page = await client.get("/console/unanswered")
    assert group_of(page.text, "ik wil een fiets kopen")["english"] == (
        "English (machine translation): [en] ik wil een fiets kopen")
    english = group_of(page.text, "How much does a bike cost")["english"]
    assert english == "<small>(English)</small>"


async def test_coaches_cannot_read_peoples_unanswered_messages(
    site: Site, coach: httpx.AsyncClient
) -> None:
    """People's words, verbatim, with no ticket handed over: admins only (issue 15)."""
    await seed(site.engine)
    page = await coach.get("/console/unanswered")
    assert page.status_code == 403
    assert "ik wil een fiets kopen" not in page.text
    assert 'data-testid="nav-unanswered"' not in (await coach.get("/console/")).text
    refused = await coach.post("/console/unanswered/train", data={
        "csrf_token": await token_of(coach), "group": "any", "intent": "find_job"})
    assert refused.status_code == 403
    assert (await coach.get("/console/unanswered/faq")).status_code == 403


async def test_one_click_makes_a_training_example_and_handles_the_group(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site.engine)
    twv = group_of((await admin.get("/console/unanswered")).text,
                   "twv for my cleaning job at the hotel")
    forged = await admin.post("/console/unanswered/train", data={
        "csrf_token": "nope", "group": twv["key"], "intent": "work_permit"})
    assert forged.status_code == 403
    response = await admin.post("/console/unanswered/train", data={
        "csrf_token": await token_of(admin), "group": twv["key"],
        "intent": "work_permit/who_applies", "text": "twv for my cleaning job at the hotel"})
    assert response.status_code == 303, response.text
    page = await admin.get(response.headers["location"])
    assert "added to work_permit/who_applies in en (version 1)" in page.text
    assert "twv for my cleaning job" not in page.text.split('data-testid="done"')[1]
    handled = await admin.get("/console/unanswered", params={"state": "handled"})
    assert "training example for work_permit/who_applies" in group_of(
        handled.text, "twv for my cleaning job at the hotel")["block"]
    async with make_sessionmaker(site.engine)() as session:
        rows = await repo.latest_content(session, kind="nlu")
    assert [r.key for r in rows] == ["en.yml"]
    data = read_training_text(rows[0].body, "en.yml")
    assert ("twv for my cleaning job at the hotel", "work_permit/who_applies", "en") in {
        (e.text, e.intent, e.language) for e in data.examples}
    editor = await admin.get("/console/nlu/examples",
                             params={"intent": "work_permit/who_applies", "lang": "en"})
    assert "twv for my cleaning job at the hotel</textarea>" in editor.text  # the last line


async def test_a_training_example_must_fit_the_data(site: Site, admin: httpx.AsyncClient) -> None:
    await seed(site.engine, [("tg-1", "hello", "en", "out_of_scope", 0.2, {"fallback": 1}, 1)])
    key = groups_in((await admin.get("/console/unanswered")).text)[0]["key"]
    token = await token_of(admin)
    # "hello" already teaches greet: refused, and the group stays open
    taken = await admin.post("/console/unanswered/train", data={
        "csrf_token": token, "group": key, "intent": "find_job"})
    assert taken.status_code == 422
    assert "already an example of &#39;greet&#39;" in taken.text
    unknown = await admin.post("/console/unanswered/train", data={
        "csrf_token": token, "group": key, "intent": "<b>nope</b>"})
    assert unknown.status_code == 422 and "&lt;b&gt;nope&lt;/b&gt;" in unknown.text
    gone = await admin.post("/console/unanswered/train", data={
        "csrf_token": token, "group": "0000", "intent": "greet"})
    assert gone.status_code == 404 and "gone or has changed" in gone.text
    async with make_sessionmaker(site.engine)() as session:
        assert await repo.latest_content(session, kind="nlu") == []


async def test_ignored_and_handled_groups_leave_the_open_list(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site.engine)
    bike = group_of((await admin.get("/console/unanswered")).text, "How much does a bike cost")
    token = await token_of(admin)
    response = await admin.post("/console/unanswered/mark", data={
        "csrf_token": token, "group": bike["key"], "mark": "ignored"})
    assert response.status_code == 303
    open_now = await admin.get("/console/unanswered")
    assert "How much does a bike cost" not in [g["text"] for g in groups_in(open_now.text)]
    assert 'data-testid="state-ignored">ignored <small>1</small>' in open_now.text
    ignored = await admin.get("/console/unanswered", params={"state": "ignored"})
    assert [g["text"] for g in groups_in(ignored.text)] == ["How much does a bike cost"]
    await admin.post("/console/unanswered/mark", data={
        "csrf_token": token, "group": bike["key"], "mark": "open"})
    assert "How much does a bike cost" in [
        g["text"] for g in groups_in((await admin.get("/console/unanswered")).text)]

    # handled, then somebody asks again: it comes back
    await admin.post("/console/unanswered/mark", data={
        "csrf_token": token, "group": bike["key"], "mark": "handled"})
    assert "How much does a bike cost" not in (await admin.get("/console/unanswered")).text
    await seed(site.engine, [("tg-9", "how much does a bike cost", "en", "out_of_scope", 0.1,
                              {"fallback": 1}, -1)])
    again = await admin.get("/console/unanswered")
    assert group_of(again.text, "How much does a bike cost")["count"] == "4"
    async with make_sessionmaker(site.engine)() as session:
        versions = await repo.latest_content(session, kind="unanswered")
    assert len(versions) == 1 and versions[0].version == 3 and "tg-" not in versions[0].body


async def test_a_group_becomes_a_faq_draft(site: Site, admin: httpx.AsyncClient) -> None:
    await seed(site.engine)
    twv = group_of((await admin.get("/console/unanswered")).text,
                   "twv for my cleaning job at the hotel")
    assert f'href="/console/unanswered/faq?group={twv["key"]}"' in twv["block"]
    form = await admin.get("/console/unanswered/faq", params={"group": twv["key"]})
    assert form.status_code == 200
    assert 'value="twv for my cleaning job at the hotel"' in form.text  # prefilled
    assert '<option value="work_permit/who_applies" selected>' in form.text
    token = await token_of(admin)
    empty = await admin.post("/console/unanswered/faq", data={
        "csrf_token": token, "group": twv["key"], "intent": "work_permit", "answer": " "})
    assert empty.status_code == 422 and "Write a first draft" in empty.text
    saved = await admin.post("/console/unanswered/faq", data={
        "csrf_token": token, "group": twv["key"], "intent": "work_permit",
        "question": "Can I get a TWV for a cleaning job?",
        "answer": "Draft: <i>the employer applies</i> at UWV."})
    assert saved.status_code == 303
    page = await admin.get("/console/unanswered")
    drafts = page.text.split('data-testid="drafts"')[1]
    assert "Can I get a TWV for a cleaning job?" in drafts
    assert "&lt;i&gt;the employer applies&lt;/i&gt;" in drafts
    assert 'href="/console/faq/work_permit"' in drafts
    assert "twv for my cleaning job" not in [g["text"] for g in groups_in(page.text)]


NEAR_MISSES = [
    # (person, text, language, intent, confidence, meta, minutes ago)
    ("tg-near-1", "is the supermarket open on sunday?", "en", "out_of_scope", 0.2,
     {"not_an_answer": True}, 9),
    ("tg-near-2", "work near my house maybe", "en", "find_job", 0.55, {}, 8),
    ("tg-near-3", "Budel", "nl", "out_of_scope", 0.1, {"place": "GM1706"}, 7),
    # acted on surely: not a near miss
    ("tg-near-4", "how do i get a bsn", "en", "documents/bsn", 0.93, {}, 6),
]


async def test_near_misses_are_listed_with_what_went_wrong(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await seed(site.engine, NEAR_MISSES)
    page = await admin.get("/console/unanswered")
    groups = {g["text"]: g["block"] for g in groups_in(page.text)}
    assert "not an answer ×1" in groups["is the supermarket open on sunday?"]
    assert "unsure ×1" in groups["work near my house maybe"]
    assert "place only ×1" in groups["Budel"]
    assert "how do i get a bsn" not in groups


def test_grouping_keeps_languages_apart_and_joins_spelling_variants() -> None:
    now = utcnow()

    def asked(text: str, lang: str, minutes: int = 0) -> Asked:
        return Asked(event_id=minutes, at=now - timedelta(minutes=minutes), text=text,
                     language=lang, intent=None, confidence=None, why="fallback")

    groups = group_questions([
        asked("Where can I learn Dutch?", "en", 1), asked("where can i learn dutch", "en", 2),
        asked("where can I learn dutch language", "en", 3), asked("where is the bus", "en", 4),
        asked("waar kan ik nederlands leren", "nl", 5), asked("أين أتعلم الهولندية", "ar", 6),
        asked("اين اتعلم الهولنديه", "ar", 7),  # hamza and ta marbuta folded by normalise
    ])
    assert [(g.language, g.count) for g in groups] == [
        ("en", 3), ("ar", 2), ("en", 1), ("nl", 1)]
    assert groups[0].text == "where can i learn dutch"  # the first spelling of the commonest
    assert groups[0].variants[0] == ("where can i learn dutch", 2)


@pytest.mark.parametrize("path", ["/console/unanswered", "/console/unanswered/faq"])
async def test_signed_out_visitors_are_sent_to_sign_in(anon: httpx.AsyncClient, path: str) -> None:
    response = await anon.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/login")
