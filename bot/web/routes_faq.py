"""FAQ editor (admin): per intent a page, per answer a tab per language; edit the text and the
sources, mark a translation reviewed, suggest a machine translation. Every save is a new
published version (bot/web/publishing.py), and the running bot reloads it.
"""

import logging
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.content.store import ContentFile
from bot.web.answers_doc import (
    SOURCE_LANGUAGES,
    AnswersDoc,
    AnswersFileError,
    SourceRow,
    check_source_rows,
)
from bot.web.console import render
from bot.web.deps import Console, Gate, PostedForm, Viewer
from bot.web.publishing import check_change, current_files, publish

logger = logging.getLogger(__name__)
MAX_TEXT = 4000


class NotFound(Exception):
    pass


def build_faq_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/faq")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]
    languages = list(console.settings.languages.supported)

    async def load(intent: str) -> tuple[ContentFile, str, AnswersDoc]:
        item = ContentFile.for_key("answers", intent)
        async with console.sessions() as session:
            files = await current_files(session, console.settings)
        if item not in files:
            raise NotFound(intent)
        return item, files[item], AnswersDoc(files[item], item.path)

    def pick(doc: AnswersDoc, answer: str | None, lang: str | None) -> tuple[str, str]:
        key = answer if answer in doc.answers else next(iter(doc.answers))
        return key, (lang if lang in languages else languages[0])

    def editor(
        request: Request, intent: str, doc: AnswersDoc, key: str, lang: str, *,
        status_code: int = 200, text: str | None = None, sources: list[SourceRow] | None = None,
        field_errors: dict[str, str] | None = None, issues: list[Any] | None = None,
        note: str | None = None, suggested: bool = False, reviewed: bool = False,
    ) -> Response:
        return render(
            console, request, "faq_edit.html", status_code=status_code,
            title=f"FAQ: {key}", intent=intent, doc=doc, key=key, lang=lang,
            languages=languages, source_languages=SOURCE_LANGUAGES,
            text=doc.text(key, lang) if text is None else text,
            sources=doc.sources(key) if sources is None else sources,
            field_errors=field_errors or {}, issues=issues or [], note=note,
            suggested=suggested, reviewed=reviewed,
            translation_on=console.settings.translation.online,
            saved=request.query_params.get("saved"),
        )

    def not_found(request: Request, intent: str) -> Response:
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no answers file for {intent!r}.")

    @router.get("", name="faq_list")
    async def faq_list(request: Request, viewer: AdminUser) -> Response:
        async with console.sessions() as session:
            files = await current_files(session, console.settings)
        rows, broken = [], []
        for item in sorted((f for f in files if f.kind == "answers"), key=lambda f: f.key):
            try:
                doc = AnswersDoc(files[item], item.path)
            except AnswersFileError as exc:
                broken.append(str(exc))
                continue
            for key in doc.answers:
                rows.append({"intent": item.key, "key": key,
                             "status": {lang: doc.status(key, lang) for lang in languages}})
        return render(console, request, "faq_list.html", title="FAQ answers", rows=rows,
                      broken=broken, languages=languages)

    @router.get("/{intent}", name="faq_edit")
    async def faq_edit(
        request: Request, intent: str, viewer: AdminUser, answer: str | None = None,
        lang: str | None = None,
    ) -> Response:
        try:
            _item, _text, doc = await load(intent)
        except NotFound:
            return not_found(request, intent)
        key, lang = pick(doc, answer, lang)
        return editor(request, intent, doc, key, lang)

    @router.post("/{intent}/save", name="faq_save")
    async def faq_save(
        request: Request, intent: str, form: AdminForm
    ) -> Response:
        try:
            item, _old, doc = await load(intent)
        except NotFound:
            return not_found(request, intent)
        key, lang = pick(doc, form.get("answer"), form.get("lang"))
        text = form.get("text")
        rows = [
            SourceRow(url.strip(), title.strip(), verified.strip(), note.strip(),
                      seen.strip() or "copy", review_by.strip())
            for title, url, verified, note, seen, review_by in zip(
                form.lists.get("source_title", []), form.lists.get("source_url", []),
                form.lists.get("source_verified", []), form.lists.get("source_note", []),
                form.lists.get("source_seen", []), form.lists.get("source_review_by", []),
                strict=False,
            )
            if url.strip() or title.strip()
        ]
        reviewed = form.get("reviewed") == "yes"
        field_errors = check_source_rows(rows)
        if len(text) > MAX_TEXT:
            field_errors["text"] = f"at most {MAX_TEXT} characters (this is {len(text)})"
        if not text.strip() and lang in console.settings.languages.required:
            field_errors["text"] = "this language is required; the text cannot be empty"
        if field_errors:
            return editor(request, intent, doc, key, lang, status_code=422, text=text,
                          sources=rows, field_errors=field_errors, reviewed=reviewed)
        changed = doc.set_text(key, lang, text, reviewed=reviewed)
        doc.set_sources(key, rows)
        body = doc.dump()
        async with console.sessions() as session, session.begin():
            files = await current_files(session, console.settings)
            checked = check_change(files, item, body, console.settings)
            if not checked.ok:
                return editor(request, intent, AnswersDoc(files[item], item.path), key, lang,
                              status_code=422, text=text, sources=rows, issues=checked.issues,
                              reviewed=reviewed)
            row = await publish(session, item=item, body=body, viewer=form.viewer,
                                action="content.save",
                                detail={"answer": key, "lang": lang, "text_changed": changed})
        if row is not None:
            await console.published()
        query = {"answer": key, "lang": lang, "saved": row.version if row else "unchanged"}
        return RedirectResponse(f"/console/faq/{intent}?{urlencode(query)}", status_code=303)

    @router.post("/{intent}/review", name="faq_review")
    async def faq_review(
        request: Request, intent: str, form: AdminForm
    ) -> Response:
        try:
            item, _old, doc = await load(intent)
        except NotFound:
            return not_found(request, intent)
        key, lang = pick(doc, form.get("answer"), form.get("lang"))
        doc.mark_reviewed(key, lang)
        async with console.sessions() as session, session.begin():
            files = await current_files(session, console.settings)
            checked = check_change(files, item, doc.dump(), console.settings)
            if not checked.ok:
                return editor(request, intent, doc, key, lang, status_code=422,
                              issues=checked.issues)
            row = await publish(session, item=item, body=doc.dump(), viewer=form.viewer,
                                action="content.review", detail={"answer": key, "lang": lang})
        if row is not None:
            await console.published()
        query = {"answer": key, "lang": lang, "saved": row.version if row else "unchanged"}
        return RedirectResponse(f"/console/faq/{intent}?{urlencode(query)}", status_code=303)

    @router.post("/{intent}/suggest", name="faq_suggest")
    async def faq_suggest(
        request: Request, intent: str, form: AdminForm
    ) -> Response:
        """Fill the editor (not the content) with a machine translation of the English text;
        saving it stores the language as unreviewed."""
        try:
            _item, _old, doc = await load(intent)
        except NotFound:
            return not_found(request, intent)
        key, lang = pick(doc, form.get("answer"), form.get("lang"))
        if not console.settings.translation.online:
            return editor(request, intent, doc, key, lang, note=(
                "Online translation is switched off (translation.online in config.yml), "
                "so there is no suggestion. Write the translation yourself."))
        source = doc.text(key, "en")
        suggestion = None
        if source:
            # Broad on purpose: the translator is an outside service; its failure is a note.
            try:
                suggestion = await console.translator.translate(source, target=lang,
                                                                source="en")
            except Exception:
                logger.exception("suggest translation %s -> %s failed", key, lang)
        if not suggestion:
            return editor(request, intent, doc, key, lang,
                          note="The translation service gave no suggestion; try again later.")
        return editor(request, intent, doc, key, lang, text=suggestion, suggested=True, note=(
            "Machine translation from English, not saved yet. Check it; when you save it, "
            "it is marked unreviewed until a native speaker marks it reviewed."))

    return router
