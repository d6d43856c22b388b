"""Everything a person or an editor can type is rendered escaped, on every console page."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.db.models import ContentVersion
from bot.db.session import make_sessionmaker
from bot.web import accounts
from bot.web.answers_doc import AnswersDoc
from tests.web.conftest import Site, client_for, csrf_token, login

PAYLOAD = '<script>alert("x")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
KEY = "work_permit/how_long"


def assert_escaped(html: str) -> None:
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html or "&lt;img src=x" in html


async def latest(site: Site, kind: str, key: str) -> str:
    async with make_sessionmaker(site.engine)() as session:
        row = await session.scalar(
            select(ContentVersion).where(ContentVersion.kind == kind, ContentVersion.key == key)
            .order_by(ContentVersion.version.desc()).limit(1))
    assert row is not None
    return row.body


async def test_faq_text_and_source_fields_are_escaped_everywhere(
    site: Site, admin: httpx.AsyncClient
) -> None:
    page = await admin.get("/console/faq/work_permit", params={"answer": KEY, "lang": "ar"})
    token = csrf_token(page.text)
    sources = AnswersDoc(await latest(site, "answers", "work_permit")).sources(KEY)
    response = await admin.post("/console/faq/work_permit/save", data={
        "csrf_token": token, "answer": KEY, "lang": "ar", "text": PAYLOAD + ATTRIBUTE,
        "source_title": [PAYLOAD, *(s.title for s in sources)],
        "source_url": ["https://example.org/" + ATTRIBUTE.replace(" ", ""),
                       *(s.url for s in sources)],
        "source_verified": ["2026-11-28", *(s.verified for s in sources)],
        "source_note": [ATTRIBUTE, *(s.note for s in sources)],
        "source_seen": ["copy", *(s.seen for s in sources)],
        "source_review_by": ["", *(s.review_by for s in sources)],
    })
    assert response.status_code == 303, response.text[:3000]
    body = await latest(site, "answers", "work_permit")
    assert PAYLOAD in body  # stored as typed: it is text, not markup

    for url in (response.headers["location"], "/console/faq",
                "/console/versions/answers/work_permit",
                "/console/versions/answers/work_permit/2",
                "/console/versions/answers/work_permit/diff?a=1&b=2"):
        page = await admin.get(url)
        assert page.status_code == 200
        assert "<script>" not in page.text and "<img src=x" not in page.text, url
    editor = await admin.get(response.headers["location"])
    assert_escaped(editor.text)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in editor.text


async def test_a_field_error_echoes_the_input_escaped(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/console/faq/work_permit", params={"answer": KEY, "lang": "en"})
    response = await admin.post("/console/faq/work_permit/save", data={
        "csrf_token": csrf_token(page.text), "answer": KEY, "lang": "en", "text": PAYLOAD,
        "source_title": [PAYLOAD], "source_url": [ATTRIBUTE], "source_verified": [PAYLOAD],
        "source_note": [""], "source_seen": [PAYLOAD], "source_review_by": [PAYLOAD],
    })
    assert response.status_code == 422
    assert_escaped(response.text)


async def test_flow_yaml_problems_and_test_chat_are_escaped(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/console/flows/coach")
    token = csrf_token(page.text)
    broken = f"flow: coach\nsteps:\n  - id: a\n    say: {{text: {{en: '{PAYLOAD}'\n"
    response = await admin.post("/console/flows/coach", data={
        "csrf_token": token, "yaml": broken, "action": "validate"})
    assert response.status_code == 422
    assert_escaped(response.text)

    text = page.text.split('data-testid="yaml">', 1)[1].split("</textarea>", 1)[0]
    import html as html_lib

    yaml_text = html_lib.unescape(text).replace(
        "A coach is a real person", "A coach is a real person " + PAYLOAD.replace('"', "'"))
    tested = await admin.post("/console/flows/coach", data={
        "csrf_token": token, "yaml": yaml_text, "action": "test", "answers": ATTRIBUTE})
    assert tested.status_code == 200, tested.text[:3000]
    assert 'data-testid="chat"' in tested.text
    assert_escaped(tested.text)
    assert "&lt;img src=x onerror=alert(1)&gt;" in tested.text  # the typed answer


async def test_names_emails_and_the_next_parameter_are_escaped(site: Site) -> None:
    async with make_sessionmaker(site.engine)() as session, session.begin():
        await accounts.create_user(session, email="x@example.org", name=PAYLOAD, role="coach",
                                   password="long enough password")
    async with client_for(site.app) as client:
        login_page = await client.get("/console/login", params={"next": "/console/" + ATTRIBUTE})
        assert_escaped(login_page.text)
        failed = await client.post("/console/login", data={
            "csrf_token": csrf_token(login_page.text), "email": ATTRIBUTE, "password": "x"})
        assert failed.status_code == 401
        assert "<img src=x" not in failed.text
        await login(client, "x@example.org", "long enough password")
        home = await client.get("/console/")
        assert_escaped(home.text)
