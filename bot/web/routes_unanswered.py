"""Unanswered questions (admins act, coaches may look): fallbacks and "did you mean"
questions, grouped (bot/web/unanswered.py), per language, with an English translation.

One click turns a group into a training example for a chosen intent (a new version of the
NLU file, bot/web/nlu_store.py) or into a FAQ draft; a group can be marked handled or ignored.
"""


import asyncio
import logging
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.errors import NLUError
from bot.web.console import render
from bot.web.deps import Console, Gate, PostedForm, Viewer
from bot.web.nlu_store import add_example, effective_data, published_texts
from bot.web.unanswered import (
    Group,
    apply_marks,
    group_questions,
    load_asked,
    load_state,
    save_marks,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 60
STATES = ("open", "handled", "ignored")
NO_TRANSLATION = "no translation available"


def build_unanswered_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/unanswered")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]
    languages = list(console.settings.languages.supported)

    async def groups_now() -> tuple[list[Group], dict[str, Any]]:
        async with console.sessions() as session:
            asked = await load_asked(session)
            state = await load_state(session)
        groups = group_questions(asked)
        apply_marks(groups, state["marks"])
        return groups, state

    async def intents() -> list[str]:
        async with console.sessions() as session:
            overrides = await published_texts(session)
        try:
            data = await asyncio.to_thread(effective_data, console.settings, overrides)
        except NLUError as exc:
            logger.error("the NLU data cannot be read for the intent list: %s", exc)
            return []
        return sorted(set(data.intents))

    async def english(group: Group) -> str | None:
        if group.language == "en":
            return group.text
        # Broad on purpose: the translator is an outside service; a failure shows as "none".
        try:
            return await console.translator.translate(
                group.text, target="en", source=group.language, personal=True)
        except Exception:
            logger.exception("translating an unanswered question failed")
            return None

    async def page(
        request: Request, *, state: str = "open", lang: str = "", error: str | None = None,
        error_group: str = "", status_code: int = 200,
    ) -> Response:
        groups, saved = await groups_now()
        state = state if state in STATES else "open"
        totals = {s: sum(g.state == s for g in groups) for s in STATES}
        shown = [g for g in groups if g.state == state and (not lang or g.language == lang)]
        more = max(len(shown) - PAGE_SIZE, 0)
        shown = shown[:PAGE_SIZE]
        translations = await asyncio.gather(*(english(g) for g in shown))
        viewer = request.state.viewer
        return render(
            console, request, "unanswered.html", status_code=status_code,
            title="Unanswered questions", groups=list(zip(shown, translations, strict=True)),
            state=state, lang=lang, languages=languages, totals=totals, more=more,
            intents=await intents() if viewer.is_admin else [],
            drafts=list(reversed(saved["drafts"]))[:20] if viewer.is_admin else [],
            error=error, error_group=error_group, no_translation=NO_TRANSLATION,
            done=request.query_params.get("done"),
        )

    async def find(key: str) -> Group | None:
        groups, _state = await groups_now()
        return next((g for g in groups if g.key == key), None)

    def back(form: PostedForm, **extra: str) -> Response:
        query = {k: v for k, v in {"state": form.get("state"), "lang": form.get("lang"),
                                   **extra}.items() if v}
        return RedirectResponse(f"/console/unanswered?{urlencode(query)}", status_code=303)

    @router.get("", name="unanswered")
    async def unanswered(
        request: Request, viewer: AdminUser, state: str = "open", lang: str = ""
    ) -> Response:
        return await page(request, state=state, lang=lang if lang in languages else "")

    @router.post("/mark", name="unanswered_mark")
    async def mark(request: Request, form: AdminForm) -> Response:
        new_state = form.get("mark")
        group = await find(form.get("group"))
        if group is None or new_state not in STATES:
            return await page(request, state=form.get("state"), status_code=404,
                              error="That group is gone or has changed; here is the list now.")
        async with console.sessions() as session, session.begin():
            await save_marks(session, group=group, state=new_state, viewer=form.viewer,
                             note=f"marked {new_state}")
        return back(form, done=f"marked {new_state}")

    @router.post("/train", name="unanswered_train")
    async def train(request: Request, form: AdminForm) -> Response:
        group = await find(form.get("group"))
        if group is None:
            return await page(request, state=form.get("state"), status_code=404,
                              error="That group is gone or has changed; here is the list now.")
        intent, text = form.get("intent").strip(), form.get("text").strip() or group.text
        if intent not in await intents():
            return await page(request, state=form.get("state"), status_code=422,
                              error=f"Choose an intent from the list (not {intent!r}).",
                              error_group=group.key)
        if group.language not in languages:
            return await page(request, state=form.get("state"), status_code=422,
                              error_group=group.key, error=(
                                  f"The language of this question ({group.language!r}) has no "
                                  "training file; it cannot become an example."))
        try:
            async with console.sessions() as session, session.begin():
                row, problems = await add_example(
                    session, settings=console.settings, viewer=form.viewer,
                    lang=group.language, intent=intent, text=text, action="nlu.from_unanswered")
                if not problems:
                    await save_marks(session, group=group, state="handled", viewer=form.viewer,
                                     note=f"training example for {intent}")
        except NLUError as exc:
            problems = [f"Not saved: {exc}"]
        if problems:
            return await page(request, state=form.get("state"), status_code=422,
                              error=" ".join(problems), error_group=group.key)
        version = f" (version {row.version})" if row is not None else ""
        return back(form, done=f"added to {intent} in {group.language}{version}; retrain on the "
                               "NLU page to use it")

    @router.get("/faq", name="unanswered_faq")
    async def faq_draft(request: Request, viewer: AdminUser, group: str = "") -> Response:
        found = await find(group)
        translation = await english(found) if found is not None else None
        return render(
            console, request, "unanswered_faq.html", title="New FAQ draft", group=found,
            english=translation, intents=await intents(), no_translation=NO_TRANSLATION,
            errors=[], values={},
        )

    @router.post("/faq", name="unanswered_faq_save")
    async def faq_draft_save(request: Request, form: AdminForm) -> Response:
        found = await find(form.get("group"))
        values = {k: form.get(k).strip() for k in ("intent", "question", "answer")}
        errors = []
        known = await intents()
        if found is None:
            errors.append("That group is gone or has changed; open it again from the list.")
        if values["intent"].split("/")[0] not in {i.split("/")[0] for i in known}:
            errors.append("Choose the topic (intent) the answer belongs to.")
        if not values["answer"]:
            errors.append("Write a first draft of the answer (in English).")
        if len(values["answer"]) > 4000 or len(values["question"]) > 500:
            errors.append("The draft is too long (answer at most 4000, question 500 characters).")
        if errors or found is None:
            translation = await english(found) if found is not None else None
            return render(
                console, request, "unanswered_faq.html", status_code=422,
                title="New FAQ draft", group=found, english=translation, intents=known,
                no_translation=NO_TRANSLATION, errors=errors, values=values,
            )
        draft = {"intent": values["intent"], "question": values["question"] or found.text,
                 "language": found.language, "original": found.text,
                 "answer": values["answer"]}
        async with console.sessions() as session, session.begin():
            await save_marks(session, group=found, state="handled", viewer=form.viewer,
                             note=f"FAQ draft for {values['intent']}", draft=draft)
        return RedirectResponse(
            "/console/unanswered?" + urlencode({"done": "FAQ draft saved"}) + "#drafts",
            status_code=303)

    return router
