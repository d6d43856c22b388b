"""NLU page (admin): training examples per intent and language, edit them, retrain in the
background with progress, and the held-out evaluation report.

Edited examples are published as versions of the NLU file (bot/web/nlu_store.py); the
running bot gets them at the next retrain (or restart). This page is the one console page
with a script: a few lines that poll the job status (served from here, no CDN).
"""


import asyncio
import logging
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from bot.errors import NLUError
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.intents import BASE_INTENTS
from bot.nlu.training_data import TrainingData, data_hash
from bot.web.console import PAGE_HEADERS, render
from bot.web.deps import Console, Gate, PostedForm, Viewer
from bot.web.nlu_admin import NLUAdmin
from bot.web.nlu_store import (
    KIND,
    check_examples,
    count_examples,
    data_dir,
    effective_data,
    effective_files,
    examples_of,
    language_file,
    published_texts,
    save_examples,
)
from bot.web.publishing import versions

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SCRIPT_CSP = PAGE_HEADERS["Content-Security-Policy"].replace(
    "script-src 'none'", "script-src 'self'; connect-src 'self'")


def with_script(response: Response) -> Response:
    """Let this page run its own script file (and fetch the status) — nothing else."""
    response.headers["Content-Security-Policy"] = SCRIPT_CSP
    return response


def build_nlu_router(console: Console, gate: Gate, admin: NLUAdmin) -> APIRouter:
    router = APIRouter(prefix="/console/nlu")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]
    languages = list(console.settings.languages.supported)
    script = (HERE / "static" / "nlu.js").read_bytes()

    async def load() -> tuple[dict[str, str], TrainingData]:
        async with console.sessions() as session:
            overrides = await published_texts(session)
        data = await asyncio.to_thread(effective_data, console.settings, overrides)
        return overrides, data

    def known_intent(name: str, data: TrainingData) -> bool:
        """Only intents the data has: a new one needs flows and answers too (not here)."""
        return name in data.intents and name.split("/")[0] in BASE_INTENTS

    def problem(request: Request, message: str, status_code: int = 404) -> Response:
        return render(console, request, "error.html", status_code=status_code,
                      title="NLU", message=message)

    @router.get("", name="nlu_overview")
    async def overview(request: Request, viewer: AdminUser) -> Response:
        data_error = None
        async with console.sessions() as session:
            overrides = await published_texts(session)
        try:
            data = await asyncio.to_thread(effective_data, console.settings, overrides)
            current = await asyncio.to_thread(data_hash, [data_dir(console.settings)],
                                              overrides)
        except NLUError as exc:  # the page still shows the model and the job's failure
            data, current, data_error = TrainingData(), "", str(exc)
        model = admin.model()
        pending = isinstance(model, EmbeddedNLU) and bool(current) and model.data_hash != current
        return with_script(render(
            console, request, "nlu.html", title="NLU training data", data_error=data_error,
            counts=count_examples(data, languages), languages=languages,
            edited=sorted(overrides), job=admin.job, status=admin.status(),
            report=admin.report(), pending=pending, engine=console.settings.nlu.engine,
            heldout=admin.heldout.exists(), busy=request.query_params.get("busy"),
        ))

    @router.get("/status", name="nlu_status")
    async def status(viewer: AdminUser) -> Response:
        return JSONResponse(admin.status(), headers={"Cache-Control": "no-store"})

    @router.get("/nlu.js", name="nlu_script")
    async def nlu_script(viewer: AdminUser) -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    def editor(request: Request, data: TrainingData, files: dict[str, str], intent: str,
               lang: str, rows: list[Any], *, text: str | None = None,
               errors: list[str] | None = None, status_code: int = 200) -> Response:
        name = language_file(console.settings, files, lang)
        current = examples_of(data, intent, name) if name else []
        counts = count_examples(data, languages)
        return render(
            console, request, "nlu_examples.html", status_code=status_code,
            title=f"NLU: {intent} ({lang})", intent=intent, lang=lang, file_name=name,
            intents=counts.intents, counts=counts, languages=languages,
            text="\n".join(current) if text is None else text, count=len(current),
            errors=errors or [], rows=rows[:10], saved=request.query_params.get("saved"),
        )

    @router.get("/examples", name="nlu_examples")
    async def examples(
        request: Request, viewer: AdminUser, intent: str = "", lang: str = "",
    ) -> Response:
        try:
            _overrides, data = await load()
        except NLUError as exc:
            return problem(request, f"The training data cannot be read: {exc}", 500)
        intent = intent if intent in data.intents else (data.intents or ["greet"])[0]
        lang = lang if lang in languages else languages[0]
        files = effective_files(console.settings, _overrides)
        name = language_file(console.settings, files, lang)
        async with console.sessions() as session:
            rows = await versions(session, kind=KIND, key=name or "")
        return editor(request, data, files, intent, lang, rows)

    @router.post("/examples", name="nlu_examples_save")
    async def examples_save(request: Request, form: AdminForm) -> Response:
        intent, lang, typed = form.get("intent").strip(), form.get("lang"), form.get("examples")
        try:
            overrides, data = await load()
        except NLUError as exc:
            return problem(request, f"The training data cannot be read: {exc}", 500)
        if lang not in languages or not known_intent(intent, data):
            return problem(request, f"Unknown intent {intent!r} or language {lang!r}.")
        files = effective_files(console.settings, overrides)
        name = language_file(console.settings, files, lang)
        if name is None:
            return problem(request, f"There is no NLU file for {lang!r}.")
        checked = check_examples(typed, intent=intent, file_name=name, data=data)
        errors = checked.errors
        row = None
        if not errors:
            try:
                async with console.sessions() as session, session.begin():
                    row = await save_examples(
                        session, settings=console.settings, viewer=form.viewer,
                        file_name=name, intent=intent, examples=checked.examples)
            except NLUError as exc:
                errors = [f"Not saved: {exc}"]
        if errors:
            async with console.sessions() as session:
                rows = await versions(session, kind=KIND, key=name)
            return editor(request, data, files, intent, lang, rows, text=typed,
                          errors=errors, status_code=422)
        query = {"intent": intent, "lang": lang,
                 "saved": row.version if row is not None else "unchanged"}
        return RedirectResponse(f"/console/nlu/examples?{urlencode(query)}", status_code=303)

    @router.post("/retrain", name="nlu_retrain")
    async def retrain(request: Request, form: AdminForm) -> Response:
        started = admin.start("retrain", form.viewer.email)
        return RedirectResponse("/console/nlu" + ("" if started else "?busy=1") + "#job",
                                status_code=303)

    @router.post("/evaluate", name="nlu_evaluate")
    async def run_evaluation(request: Request, form: AdminForm) -> Response:
        started = admin.start("evaluate", form.viewer.email)
        return RedirectResponse("/console/nlu" + ("" if started else "?busy=1") + "#job",
                                status_code=303)

    return router
