"""The NLU page: examples per intent and language, edits published as versions that survive a
restart and reach training, retrain in the background (the model changes only on success),
and the evaluation report.

The NLU data here is a small copy (two languages, four intents) so training takes well under
a second; the running bot starts with the scripted NLU of tests/web/conftest.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.db import repositories as repo
from bot.db.session import make_sessionmaker
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.training_data import read_training_data
from bot.settings import Settings
from bot.web.nlu_admin import unwrap
from bot.web.nlu_store import published_source
from tests.conftest import make_settings
from tests.support.fakes import ScriptedNLU
from tests.web.conftest import ADMIN, Site, client_for, login, token_of

EN = """version: "3.1"
# a comment that must survive an edit
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
    - hey
    - hello bot
    - hi

- intent: goodbye
  examples: |
    - bye
    - goodbye
    - see you later
    - bye bye
    - talk to you later
    - see you

- intent: work_permit
  examples: |
    - what is a twv
    - do i need a work permit
    - how do i get a twv
    - who applies for the work permit
    - how long does a twv take
    - twv work permit

- intent: out_of_scope
  examples: |
    - what is the weather
    - tell me a joke
    - who won the football
    - best pizza in town
    - sing a song
    - how tall is the eiffel tower
"""
NL = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hallo
    - goedemorgen
    - hoi
    - dag

- intent: work_permit
  examples: |
    - wat is een twv
    - heb ik een werkvergunning nodig
    - hoe krijg ik een twv
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = make_settings(tmp_path)
    data = tmp_path / "nlu"
    data.mkdir()
    (data / "en.yml").write_text(EN, encoding="utf-8")
    (data / "nl.yml").write_text(NL, encoding="utf-8")
    (data / "config.yml").write_text("language: en\npipeline: []\n", encoding="utf-8")
    nlu = base.nlu.model_copy(update={"data_dir": data, "cache_dir": tmp_path / "cache"})
    return base.model_copy(update={"nlu": nlu})


async def save(client: httpx.AsyncClient, intent: str, lang: str, examples: str,
               token: str | None = None) -> httpx.Response:
    return await client.post("/console/nlu/examples", data={
        "csrf_token": token or await token_of(client), "intent": intent, "lang": lang,
        "examples": examples,
    })


async def wait_for_job(client: httpx.AsyncClient) -> dict[str, Any]:
    for _ in range(1200):  # two minutes
        status: dict[str, Any] = (await client.get("/console/nlu/status")).json()
        if status["state"] != "running":
            return status
        await asyncio.sleep(0.1)
    raise AssertionError("the NLU job did not finish")


async def test_the_overview_counts_examples_per_intent_and_language(
    admin: httpx.AsyncClient
) -> None:
    page = await admin.get("/console/nlu")
    assert page.status_code == 200
    assert 'data-testid="cell-greet-en">6<' in page.text
    assert 'data-testid="cell-greet-nl">4<' in page.text
    assert 'data-testid="cell-goodbye-nl">0<' in page.text
    # the one page with a script: its own file, and fetches to this site only
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert '<script src="/console/nlu/nlu.js"' in page.text
    script = await admin.get("/console/nlu/nlu.js")
    assert script.status_code == 200 and "/console/nlu/status" not in script.text
    assert "fetch(url" in script.text
    assert "script-src 'none'" in (await admin.get("/console/faq")).headers[
        "content-security-policy"]


async def test_one_intent_and_language_shows_its_examples(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/console/nlu/examples", params={"intent": "work_permit",
                                                            "lang": "nl"})
    assert page.status_code == 200
    assert "wat is een twv\nheb ik een werkvergunning nodig\nhoe krijg ik een twv" in page.text
    assert "hello" not in page.text.split('data-testid="examples"')[1].split("</textarea>")[0]


async def test_bad_input_is_refused_with_every_problem_named(
    site: Site, admin: httpx.AsyncClient
) -> None:
    typed = "hello\n\nhello\nbye\nwhat is [a twv(thing)\n" + "x" * 301
    response = await save(admin, "greet", "en", typed)
    assert response.status_code == 422
    text = response.text
    assert "Line 2 is empty" in text
    assert "Line 3 repeats line 1" in text
    assert "Line 4 (&#39;bye&#39;) is already an example of &#39;goodbye&#39; in en.yml" in text
    assert "Line 6 is 301 characters long" in text
    assert "The published examples are unchanged" in text
    async with make_sessionmaker(site.engine)() as session:
        assert await repo.latest_content(session, kind="nlu") == []
    for intent, lang in (("no_such_intent", "en"), ("greet", "xx")):
        assert (await save(admin, intent, lang, "hello")).status_code == 404


async def test_examples_are_rendered_escaped(admin: httpx.AsyncClient) -> None:
    attack = '<script>alert(1)</script> hello "there" <img src=x onerror=alert(2)>'
    response = await save(admin, "greet", "en", f"hello\n{attack}")
    assert response.status_code == 303, response.text
    page = await admin.get(response.headers["location"])
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hello &#34;there&#34;" in page.text


async def test_an_added_example_survives_a_restart_and_reaches_training(
    site: Site, admin: httpx.AsyncClient, settings: Settings, places: Any
) -> None:
    response = await save(admin, "work_permit", "en",
                          "what is a twv\nmay my boss hire me without papers")
    assert response.status_code == 303
    assert "saved=1" in response.headers["location"]
    # a new process on the same database: the page and the training data have the edit
    again = await make_site_again(site, settings, places)
    async with client_for(again.app) as client:
        await login(client, ADMIN[0], ADMIN[2])
        page = await client.get("/console/nlu/examples",
                                params={"intent": "work_permit", "lang": "en"})
        assert "what is a twv\nmay my boss hire me without papers</textarea>" in page.text
        assert "version" in page.text and ADMIN[0] in page.text
    data_dir, _cache = await published_source(make_sessionmaker(site.engine), settings)
    trained_on = read_training_data([data_dir])
    assert ("may my boss hire me without papers", "work_permit") in {
        (e.text, e.intent) for e in trained_on.examples}
    assert "how do i get a twv" not in {e.text for e in trained_on.examples}
    published = (data_dir / "en.yml").read_text(encoding="utf-8")
    assert "# a comment that must survive an edit" in published  # only the block changed
    assert published.count("- intent:") == 4


async def make_site_again(site: Site, settings: Settings, places: Any) -> Site:
    from bot.app import build_services, build_web_app
    from bot.dialogue.manager import Dialogue

    services = await build_services(settings, engine=site.engine, nlu=ScriptedNLU(),
                                    places=places)
    return Site(build_web_app(settings, Dialogue(services)), services, Dialogue(services),
                site.engine)


async def test_retrain_swaps_the_model_only_when_training_succeeds(
    site: Site, admin: httpx.AsyncClient
) -> None:
    scripted = unwrap(site.services.nlu)
    assert isinstance(scripted, ScriptedNLU)
    await save(admin, "greet", "en", "hello\nhi there\ngood morning\nhey\nhello bot\nhi\n"
                                     "salaam aleikum friends")
    token = await token_of(admin)
    response = await admin.post("/console/nlu/retrain", data={"csrf_token": token})
    assert response.status_code == 303
    status = await wait_for_job(admin)
    assert status["state"] == "succeeded", status
    assert status["kind"] == "retrain" and "in use" in status["message"]
    model = unwrap(site.services.nlu)
    assert isinstance(model, EmbeddedNLU) and model is not scripted
    assert (await model.parse("salaam aleikum friends")).intent.name == "greet"
    page = await admin.get("/console/nlu")
    assert 'data-testid="report-summary"' in page.text  # the retrain evaluated the model
    assert 'data-testid="per-language"' in page.text and 'data-testid="confusions"' in page.text
    assert 'data-testid="pending"' not in page.text

    # a published file that does not parse: training fails, the model in use stays
    async with make_sessionmaker(site.engine)() as session, session.begin():
        await repo.save_content_version(session, kind="nlu", key="en.yml",
                                        body="nlu:\n- intent: [broken\n", created_by="test")
    response = await admin.post("/console/nlu/retrain", data={"csrf_token": token})
    status = await wait_for_job(admin)
    assert status["state"] == "failed"
    assert "en.yml" in status["message"] and "running model was kept" in status["message"]
    assert unwrap(site.services.nlu) is model
    page = await admin.get("/console/nlu")
    assert 'class="error"' in page.text and "running model was kept" in page.text


async def test_retrain_and_evaluation_need_an_admin_and_the_token(
    site: Site, admin: httpx.AsyncClient, coach: httpx.AsyncClient
) -> None:
    for path in ("/console/nlu/retrain", "/console/nlu/evaluate"):
        refused = await admin.post(path, data={"csrf_token": "forged"})
        assert refused.status_code == 403
        assert (await coach.post(path, data={"csrf_token": await token_of(coach)})
                ).status_code == 403
    assert (await admin.get("/console/nlu/status")).json()["state"] == "idle"
    assert isinstance(unwrap(site.services.nlu), ScriptedNLU)


async def test_the_evaluation_report_is_run_on_demand_and_kept(
    site: Site, admin: httpx.AsyncClient
) -> None:
    first = await admin.get("/console/nlu")
    assert 'data-testid="no-report"' in first.text  # never run on page load
    response = await admin.post("/console/nlu/evaluate",
                                data={"csrf_token": await token_of(admin)})
    assert response.status_code == 303
    status = await wait_for_job(admin)
    assert status["state"] == "succeeded", status
    assert status["total"] > 1000 and status["done"] == status["total"]
    page = await admin.get("/console/nlu")
    # the scripted NLU knows two sentences: nearly everything is out_of_scope
    assert 'data-testid="accuracy"' in page.text
    assert "<th scope=\"row\" title=\"ትግርኛ\">ti</th>" in page.text
    assert "<td>greet</td><td>out_of_scope</td>" in page.text
    assert 'data-testid="matrix"' in page.text
    busy_free = await admin.post("/console/nlu/evaluate",
                                 data={"csrf_token": await token_of(admin)})
    assert busy_free.headers["location"] == "/console/nlu#job"
    await wait_for_job(admin)
