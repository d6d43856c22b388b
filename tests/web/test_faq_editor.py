"""The FAQ editor: statuses per language, edit and publish, stale marking, review, sources,
validation that changes nothing, versions with diff and rollback, suggested translations."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.models import ContentVersion
from bot.db.session import make_sessionmaker
from bot.settings import Settings
from bot.web.answers_doc import AnswersDoc
from bot.web.models import AuditEvent
from tests.support.dialog import Chat
from tests.support.fakes import EchoTranslator, ScriptedNLU
from tests.web.conftest import ADMIN, Site, client_for, csrf_token, login, make_site

KEY = "work_permit/how_long"
NEW_EN = ("UWV decides within {twv_decision_weeks} weeks of a complete application. Ask your "
          "employer how it goes.")


async def answer_versions(site: Site, intent: str = "work_permit") -> list[ContentVersion]:
    async with make_sessionmaker(site.engine)() as session:
        rows = await session.scalars(
            select(ContentVersion).where(ContentVersion.kind == "answers",
                                         ContentVersion.key == intent)
            .order_by(ContentVersion.version))
        return list(rows.all())


async def edit_form(client: httpx.AsyncClient, lang: str, key: str = KEY) -> dict[str, Any]:
    """What the browser would post: the page's token, text and source fields as shown."""
    page = await client.get("/console/faq/work_permit", params={"answer": key, "lang": lang})
    assert page.status_code == 200
    doc_page = page.text
    return {"token": csrf_token(doc_page), "html": doc_page}


def save_data(token: str, lang: str, text: str, sources: list[tuple[str, str, str]],
              key: str = KEY, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": token, "answer": key, "lang": lang, "text": text,
        "source_title": [s[0] for s in sources], "source_url": [s[1] for s in sources],
        "source_verified": [s[2] for s in sources], "source_note": ["" for _ in sources],
        "source_seen": ["copy" for _ in sources], "source_review_by": ["" for _ in sources],
    }
    return {**data, **extra}


def current_sources(site: Site, body: str, key: str = KEY) -> list[tuple[str, str, str]]:
    return [(s.title, s.url, s.verified) for s in AnswersDoc(body).sources(key)]


async def test_the_list_shows_each_language_status(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/console/faq")
    assert page.status_code == 200
    assert "work_permit/how_long" in page.text
    assert 'title="en: present"' in page.text and 'title="ar: unreviewed"' in page.text


async def test_a_new_english_text_is_published_marks_others_stale_and_the_bot_uses_it(
    site: Site, admin: httpx.AsyncClient
) -> None:
    before = await answer_versions(site)
    form = await edit_form(admin, "en")
    sources = current_sources(site, before[-1].body)

    response = await admin.post("/console/faq/work_permit/save",
                                data=save_data(form["token"], "en", NEW_EN, sources))

    assert response.status_code == 303
    page = await admin.get(response.headers["location"])
    assert "Saved and published as version 2" in page.text
    rows = await answer_versions(site)
    assert [r.version for r in rows] == [1, 2] and rows[-1].created_by == ADMIN[0]
    doc = AnswersDoc(rows[-1].body)
    assert doc.text(KEY, "en") == NEW_EN
    assert doc.status(KEY, "nl") == "stale" and doc.status(KEY, "ar") == "stale"
    assert doc.status(KEY, "en") == "present"
    assert doc.text("work_permit/what_is_twv", "en") == AnswersDoc(before[-1].body).text(
        "work_permit/what_is_twv", "en")  # the other answers are untouched
    assert rows[-1].body.startswith("# Facts:")  # the file's header comment stays
    # The running bot reloaded and answers with the new text.
    answer = site.services.content.bundle.answer_for(KEY)
    assert answer is not None and answer.text.texts["en"] == NEW_EN
    chat = Chat(site.dialogue, lang="en")
    await chat.agree()
    replies = await chat.say("how long does a twv take")
    shown = NEW_EN.replace("{twv_decision_weeks}", "5")  # the rule value, filled in
    assert any(shown in reply.text for reply in replies), [r.text for r in replies]
    async with make_sessionmaker(site.engine)() as session:
        audit = (await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "content.save"))).one()
    assert audit.actor == ADMIN[0] and audit.target == "answers/work_permit"
    assert audit.detail["version"] == 2 and audit.detail["lang"] == "en"


async def test_updating_a_stale_dutch_text_does_not_make_english_stale(
    site: Site, admin: httpx.AsyncClient
) -> None:
    form = await edit_form(admin, "en")
    sources = current_sources(site, (await answer_versions(site))[-1].body)
    await admin.post("/console/faq/work_permit/save",
                     data=save_data(form["token"], "en", NEW_EN, sources))
    await admin.post("/console/faq/work_permit/save",
                     data=save_data(form["token"], "nl",
                                    "UWV beslist binnen {twv_decision_weeks} weken.", sources))
    doc = AnswersDoc((await answer_versions(site))[-1].body)
    assert doc.status(KEY, "nl") == "present" and doc.status(KEY, "en") == "present"
    assert doc.status(KEY, "ar") == "stale"


async def test_a_translation_is_unreviewed_until_marked_reviewed(
    site: Site, admin: httpx.AsyncClient
) -> None:
    form = await edit_form(admin, "so")
    sources = current_sources(site, (await answer_versions(site))[-1].body)
    await admin.post("/console/faq/work_permit/save",
                     data=save_data(form["token"], "so", "UWV waxay go'aamisaa 5 toddobaad.",
                                    sources))
    doc = AnswersDoc((await answer_versions(site))[-1].body)
    assert doc.status(KEY, "so") == "unreviewed"
    page = await admin.get("/console/faq/work_permit", params={"answer": KEY, "lang": "so"})
    assert 'data-testid="mark-reviewed"' in page.text

    response = await admin.post("/console/faq/work_permit/review", data={
        "csrf_token": form["token"], "answer": KEY, "lang": "so"})

    assert response.status_code == 303
    rows = await answer_versions(site)
    assert [r.version for r in rows] == [1, 2, 3]
    assert AnswersDoc(rows[-1].body).status(KEY, "so") == "present"


async def test_a_rule_value_typed_as_a_number_is_refused_with_the_placeholder_to_use(
    site: Site, admin: httpx.AsyncClient
) -> None:
    form = await edit_form(admin, "en")
    sources = current_sources(site, (await answer_versions(site))[-1].body)
    typed = "UWV decides within 5 weeks of a complete application."
    response = await admin.post("/console/faq/work_permit/save",
                                data=save_data(form["token"], "en", typed, sources))
    assert response.status_code == 422
    assert "the value of rule &#39;twv_decision_weeks&#39;" in response.text
    assert "{twv_decision_weeks}" in response.text
    assert len(await answer_versions(site)) == 1


async def test_bad_source_fields_are_shown_at_the_field_and_nothing_is_saved(
    site: Site, admin: httpx.AsyncClient
) -> None:
    form = await edit_form(admin, "en")
    sources = [("UWV", "javascript:alert(1)", "yesterday")]

    response = await admin.post("/console/faq/work_permit/save",
                                data=save_data(form["token"], "en", NEW_EN, sources))

    assert response.status_code == 422
    assert 'data-testid="error-source-0-url"' in response.text
    assert 'data-testid="error-source-0-verified"' in response.text
    assert NEW_EN in response.text  # what was typed is kept in the form
    assert len(await answer_versions(site)) == 1


async def test_a_required_language_cannot_be_emptied(site: Site, admin: httpx.AsyncClient) -> None:
    form = await edit_form(admin, "nl")
    response = await admin.post("/console/faq/work_permit/save",
                                data=save_data(form["token"], "nl", "   ", []))
    assert response.status_code == 422
    assert 'data-testid="error-text"' in response.text
    assert len(await answer_versions(site)) == 1


async def test_a_save_that_fails_validation_changes_nothing(
    site: Site, admin: httpx.AsyncClient
) -> None:
    form = await edit_form(admin, "en")
    sources = current_sources(site, (await answer_versions(site))[-1].body)

    response = await admin.post("/console/faq/work_permit/save", data=save_data(
        form["token"], "en", "Ask {employer_name} about it.", sources))

    assert response.status_code == 422
    assert 'data-testid="issue"' in response.text
    assert "answers/work_permit.yml line" in response.text
    assert "uses {employer_name}" in response.text
    assert "The published version is unchanged" in response.text
    assert len(await answer_versions(site)) == 1
    answer = site.services.content.bundle.answer_for(KEY)
    assert answer is not None and "{employer_name}" not in answer.text.texts["en"]


async def test_versions_diff_and_rollback(site: Site, admin: httpx.AsyncClient) -> None:
    form = await edit_form(admin, "en")
    sources = current_sources(site, (await answer_versions(site))[-1].body)
    await admin.post("/console/faq/work_permit/save",
                     data=save_data(form["token"], "en", NEW_EN + " <b>bold</b>", sources))

    listing = await admin.get("/console/versions/answers/work_permit")
    assert listing.status_code == 200 and ADMIN[0] in listing.text
    diff = await admin.get("/console/versions/answers/work_permit/diff?a=1&b=2")
    assert diff.status_code == 200
    assert 'class="d-add"' in diff.text and "&lt;b&gt;bold&lt;/b&gt;" in diff.text
    assert "<b>bold</b>" not in diff.text
    # The first console save re-lays the file out; the default diff shows only what changed:
    # the English text, and the other languages becoming stale.
    added = diff.text.count('class="d-add"')
    assert 2 <= added <= 16, added
    raw = await admin.get("/console/versions/answers/work_permit/diff?a=1&b=2&raw=1")
    assert raw.text.count('class="d-add"') > 50

    response = await admin.post("/console/versions/answers/work_permit/rollback",
                                data={"csrf_token": form["token"], "version": "1"})

    assert response.status_code == 303
    rows = await answer_versions(site)
    assert [r.version for r in rows] == [1, 2, 3] and rows[2].body == rows[0].body
    answer = site.services.content.bundle.answer_for(KEY)
    assert answer is not None and "<b>bold</b>" not in answer.text.texts["en"]
    async with make_sessionmaker(site.engine)() as session:
        actions = (await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert actions[-2:] == ["content.save", "content.rollback"]


async def test_suggest_translation_is_disabled_when_translation_is_off(
    site: Site, admin: httpx.AsyncClient
) -> None:
    page = await admin.get("/console/faq/work_permit", params={"answer": KEY, "lang": "ti"})
    assert 'disabled data-testid="suggest"' in page.text
    assert "Online translation is off" in page.text
    response = await admin.post("/console/faq/work_permit/suggest", data={
        "csrf_token": csrf_token(page.text), "answer": KEY, "lang": "ti"})
    assert response.status_code == 200 and "switched off" in response.text
    assert len(await answer_versions(site)) == 1


async def test_suggest_translation_fills_the_editor_and_saves_it_unreviewed(
    db_engine: AsyncEngine, settings: Settings, nlu: ScriptedNLU, places: Any
) -> None:
    online = settings.model_copy(update={
        "translation": settings.translation.model_copy(update={"online": True})})
    site = await make_site(online, db_engine, nlu, places, translator=EchoTranslator())
    async with client_for(site.app) as client:
        await login(client, ADMIN[0], ADMIN[2])
        page = await client.get("/console/faq/work_permit", params={"answer": KEY, "lang": "ti"})
        token = csrf_token(page.text)
        suggested = await client.post("/console/faq/work_permit/suggest", data={
            "csrf_token": token, "answer": KEY, "lang": "ti"})
        assert suggested.status_code == 200
        assert "[ti] By law UWV has {twv_decision_weeks} weeks" in suggested.text
        assert "Machine translation from English, not saved yet" in suggested.text
        assert len(await answer_versions(site)) == 1  # a suggestion alone stores nothing
        sources = current_sources(site, (await answer_versions(site))[-1].body)
        await client.post("/console/faq/work_permit/save", data=save_data(
            token, "ti", "[ti] By law UWV has {twv_decision_weeks} weeks to decide.", sources))
    doc = AnswersDoc((await answer_versions(site))[-1].body)
    assert doc.status(KEY, "ti") == "unreviewed"


async def test_an_unknown_intent_is_not_found(admin: httpx.AsyncClient) -> None:
    response = await admin.get("/console/faq/no_such_intent")
    assert response.status_code == 404


async def test_an_oversized_form_is_refused_unread(site: Site, admin: httpx.AsyncClient) -> None:
    form = await edit_form(admin, "en")
    response = await admin.post("/console/faq/work_permit/save", data=save_data(
        form["token"], "en", "x" * (2 * 1024 * 1024), []))
    assert response.status_code == 413
    assert "nothing was saved" in response.text
    assert len(await answer_versions(site)) == 1
