"""The flow editor: problems shown at their line, the diagram, the test chat on the edited
text, publish as a new version the bot uses, rollback, and bad input that changes nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.app import build_web_app
from bot.db.models import ContentVersion
from bot.db.session import make_sessionmaker
from tests.web.conftest import ADMIN, Site, client_for, csrf_token, login

FLOW = "may_i_work"


async def flow_versions(site: Site, flow_id: str = FLOW) -> list[ContentVersion]:
    async with make_sessionmaker(site.engine)() as session:
        rows = await session.scalars(
            select(ContentVersion).where(ContentVersion.kind == "flow",
                                         ContentVersion.key == flow_id)
            .order_by(ContentVersion.version))
        return list(rows.all())


async def open_editor(client: httpx.AsyncClient, flow_id: str = FLOW) -> tuple[str, str]:
    page = await client.get(f"/console/flows/{flow_id}")
    assert page.status_code == 200
    return csrf_token(page.text), page.text


async def test_the_flow_list_and_editor_show_the_flow_and_its_diagram(
    site: Site, admin: httpx.AsyncClient
) -> None:
    listing = await admin.get("/console/flows")
    assert listing.status_code == 200 and 'href="/console/flows/may_i_work"' in listing.text
    _token, page = await open_editor(admin)
    assert "flow: may_i_work" in page  # the YAML in the textarea
    assert 'data-testid="mermaid">flowchart TD' in page
    assert 'id="step-ask_age"' in page and "→ <a href=\"#step-" in page


async def test_broken_yaml_is_shown_at_its_line_and_nothing_changes(
    site: Site, admin: httpx.AsyncClient
) -> None:
    token, _ = await open_editor(admin)
    broken = "flow: may_i_work\nversion: 1\nsteps:\n  - id: a\n    say: {text: {en: \"x\"\n"

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "yaml": broken, "action": "publish"})

    assert response.status_code == 422
    assert "YAML syntax error" in response.text
    assert 'id="line-6"' in response.text or 'id="line-5"' in response.text
    assert 'data-testid="bad-line"' in response.text
    assert len(await flow_versions(site)) == 1
    assert site.services.content.bundle.flows[FLOW].version == 1


async def test_a_yaml_alias_bomb_is_refused_before_it_is_read(
    site: Site, admin: httpx.AsyncClient
) -> None:
    """Nine aliases of nine aliases, eight deep: 490 million nodes from 500 bytes."""
    token, _ = await open_editor(admin)
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(8):
        this, before = chr(98 + i), chr(97 + i)
        levels.append(f"{this}: &{this} [" + ",".join([f"*{before}"] * 9) + "]")
    bomb = "flow: may_i_work\nversion: 1\n" + "\n".join(levels) + "\nsteps: []\n"

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "yaml": bomb, "action": "publish"})

    assert response.status_code == 422
    assert "aliases" in response.text
    assert len(await flow_versions(site)) == 1


async def test_a_flow_that_fails_validation_names_the_line_and_is_not_published(
    site: Site, admin: httpx.AsyncClient
) -> None:
    token, _ = await open_editor(admin)
    text = (await flow_versions(site))[0].body
    bad = text.replace("  - id: ask_age\n", "  - id: ask_age\n    next: nowhere_step\n", 1)
    line = bad.splitlines().index("    next: nowhere_step") + 1

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "yaml": bad, "action": "publish"})

    assert response.status_code == 422
    assert "nowhere_step" in response.text
    assert f"flows/may_i_work.yml line {line}" in response.text
    assert f'<li id="line-{line}" value="{line}" class="bad"' in response.text
    assert len(await flow_versions(site)) == 1


async def test_the_test_chat_runs_the_edited_flow_without_publishing_it(
    site: Site, admin: httpx.AsyncClient
) -> None:
    token, _ = await open_editor(admin)
    text = (await flow_versions(site))[0].body
    edited = text.replace("How old are you?", "What is your age?")

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "yaml": edited, "action": "test", "answers": "1\nmaybe",
        "test_lang": "en"})

    assert response.status_code == 200, response.text[:2000]
    assert 'data-testid="chat"' in response.text
    assert "where is your asylum case now?" in response.text
    assert 'data-testid="chat-person">1' in response.text
    assert "What is your age?" in response.text  # "1" (waiting) led to the edited question
    assert "Not published yet." in response.text
    assert len(await flow_versions(site)) == 1  # testing stores nothing


async def test_publish_bumps_the_version_and_the_bot_uses_it_then_rollback(
    site: Site, admin: httpx.AsyncClient
) -> None:
    token, _ = await open_editor(admin)
    text = (await flow_versions(site))[0].body
    edited = text.replace("How old are you?", "How old are you now?")

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "yaml": edited, "action": "publish"})

    assert response.status_code == 303
    page = await admin.get(response.headers["location"])
    assert "Published as version 2" in page.text
    rows = await flow_versions(site)
    assert [r.version for r in rows] == [1, 2] and rows[1].created_by == ADMIN[0]
    assert "\nversion: 2\n" in rows[1].body
    flow = site.services.content.bundle.flows[FLOW]
    assert flow.version == 2
    assert "How old are you now?" in flow.steps["ask_age"].payload.text.texts["en"]  # type: ignore[union-attr]

    rollback = await admin.post(f"/console/versions/flow/{FLOW}/rollback",
                                data={"csrf_token": token, "version": "1"})
    assert rollback.status_code == 303
    rows = await flow_versions(site)
    assert [r.version for r in rows] == [1, 2, 3] and "\nversion: 3\n" in rows[2].body
    flow = site.services.content.bundle.flows[FLOW]
    assert flow.version == 3
    assert "How old are you?" in flow.steps["ask_age"].payload.text.texts["en"]  # type: ignore[union-attr]


async def test_a_five_megabyte_upload_is_refused_at_the_upload_field(
    site: Site, admin: httpx.AsyncClient
) -> None:
    token, _ = await open_editor(admin)
    big = b"flow: may_i_work\n" + b"#" * (5 * 1024 * 1024)

    response = await admin.post(f"/console/flows/{FLOW}", data={
        "csrf_token": token, "action": "publish", "yaml": ""},
        files={"upload": ("huge.yml", big, "application/x-yaml")})

    assert response.status_code == 413
    assert 'data-testid="upload-error"' in response.text
    assert "Nothing changed" in response.text
    assert len(await flow_versions(site)) == 1


async def test_an_uploaded_file_replaces_the_text(site: Site, admin: httpx.AsyncClient) -> None:
    token, _ = await open_editor(admin, "coach")
    text = (await flow_versions(site, "coach"))[0].body
    edited = text.replace("A coach is a real person", "A coach is a real human").encode()

    response = await admin.post("/console/flows/coach", data={
        "csrf_token": token, "action": "publish", "yaml": "ignored"},
        files={"upload": ("coach.yml", edited, "application/x-yaml")})

    assert response.status_code == 303
    assert "A coach is a real human" in (await flow_versions(site, "coach"))[-1].body
    binary = await admin.post("/console/flows/coach", data={
        "csrf_token": token, "action": "publish", "yaml": "x"},
        files={"upload": ("coach.yml", b"\xff\xfe\x00bad", "application/x-yaml")})
    assert binary.status_code == 422 and "not UTF-8" in binary.text
    assert len(await flow_versions(site, "coach")) == 2


async def test_a_flow_renamed_in_its_yaml_is_refused(site: Site, admin: httpx.AsyncClient) -> None:
    token, _ = await open_editor(admin, "coach")
    text = (await flow_versions(site, "coach"))[0].body
    response = await admin.post("/console/flows/coach", data={
        "csrf_token": token, "action": "publish",
        "yaml": text.replace("flow: coach", "flow: main_menu")})
    assert response.status_code == 422
    assert len(await flow_versions(site, "coach")) == 1
    assert len(await flow_versions(site, "main_menu")) == 1


async def test_publishing_runs_the_extra_hooks(site: Site) -> None:
    calls: list[int] = []

    async def hook() -> None:
        calls.append(site.services.content.bundle.flows["coach"].version)

    app = build_web_app(site.services.settings, site.dialogue, on_content_published=[hook])
    async with client_for(app) as client:
        await login(client, ADMIN[0], ADMIN[2])
        token, _page = await open_editor(client, "coach")
        text = (await flow_versions(site, "coach"))[0].body
        await client.post("/console/flows/coach", data={
            "csrf_token": token, "action": "publish",
            "yaml": text.replace("A coach is a real person", "A coach is a person")})
    assert calls == [2]  # after the bot's own content reloaded
