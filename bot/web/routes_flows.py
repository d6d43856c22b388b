"""Flow editor (admin): the YAML of one flow, checked with its problems shown at their line,
the diagram, a test chat on the edited text, and publish as a new version."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.content.store import ContentFile, validate
from bot.flows.diagram import to_mermaid
from bot.flows.issues import ContentIssue
from bot.web.console import render
from bot.web.deps import MAX_FORM_BYTES, MAX_UPLOAD_BYTES, Console, Gate, PostedForm, Viewer
from bot.web.flow_tools import (
    answers_from,
    flow_version,
    listing,
    nodes,
    test_chat,
    with_version,
)
from bot.web.publishing import check_change, current_files, publish

ACTIONS = ("validate", "test", "publish")


def build_flow_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/flows")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    # A too-large post is shown on the editor page (the upload field), not as a bare 413.
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin", allow_too_large=True))]
    languages = list(console.settings.languages.supported)

    def editor(
        request: Request, flow_id: str, text: str, *, published: bool, status_code: int = 200,
        issues: list[ContentIssue] | None = None, upload_error: str | None = None,
        chat: list[Any] | None = None, answers: str = "", test_lang: str = "en",
        checked: bool = False,
    ) -> Response:
        item = ContentFile.for_key("flow", flow_id)
        bundle, _ = validate({item: text}, console.settings)  # the flow alone, for the views
        flow = bundle.flows.get(flow_id)
        issues = issues or []
        return render(
            console, request, "flow_edit.html", status_code=status_code,
            title=f"Flow: {flow_id}", flow_id=flow_id, text=text, published=published,
            issues=issues, listing=listing(text, issues) if issues else [],
            mermaid=to_mermaid(flow) if flow is not None else None,
            nodes=nodes(flow) if flow is not None else [], upload_error=upload_error,
            chat=chat, answers=answers, test_lang=test_lang, languages=languages,
            checked=checked, saved=request.query_params.get("saved"),
            max_upload_kb=MAX_UPLOAD_BYTES // 1024,
        )

    async def published_text(flow_id: str) -> str | None:
        async with console.sessions() as session:
            files = await current_files(session, console.settings)
        return files.get(ContentFile.for_key("flow", flow_id))

    def not_found(request: Request, flow_id: str) -> Response:
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no flow {flow_id!r}.")

    @router.get("", name="flow_list")
    async def flow_list(request: Request, viewer: AdminUser) -> Response:
        async with console.sessions() as session:
            files = await current_files(session, console.settings)
        bundle, issues = validate(files, console.settings)
        flows = [
            {"id": item.key, "flow": bundle.flows.get(item.key),
             "problems": sum(1 for i in issues if i.file == item.path)}
            for item in sorted((f for f in files if f.kind == "flow"), key=lambda f: f.key)
        ]
        return render(console, request, "flow_list.html", title="Flows", flows=flows)

    @router.get("/{flow_id}", name="flow_edit")
    async def flow_edit(
        request: Request, flow_id: str, viewer: AdminUser
    ) -> Response:
        text = await published_text(flow_id)
        if text is None:
            return not_found(request, flow_id)
        return editor(request, flow_id, text, published=True)

    @router.post("/{flow_id}", name="flow_post")
    async def flow_post(
        request: Request, flow_id: str, form: AdminForm
    ) -> Response:
        current = await published_text(flow_id)
        if current is None:
            return not_found(request, flow_id)
        if form.too_large:
            return editor(request, flow_id, current, published=True, status_code=413,
                          upload_error=f"The upload is larger than {MAX_FORM_BYTES // 1024} KB "
                          "and was not read. Nothing changed; the published flow is shown.")
        text = form.get("yaml").replace("\r\n", "\n")
        answers, test_lang = form.get("answers"), form.get("test_lang", "en")
        test_lang = test_lang if test_lang in languages else "en"
        upload = form.files.get("upload")
        if upload is not None:
            if len(upload) > MAX_UPLOAD_BYTES:
                return editor(request, flow_id, text, published=False, status_code=413,
                              upload_error=f"The file is {len(upload) // 1024} KB; the limit is "
                              f"{MAX_UPLOAD_BYTES // 1024} KB. Nothing changed.")
            try:
                text = upload.decode("utf-8").replace("\r\n", "\n")
            except UnicodeDecodeError:
                return editor(request, flow_id, text, published=False, status_code=422,
                              upload_error="The file is not UTF-8 text (is it a YAML file?). "
                              "Nothing changed.")
        action = form.get("action")
        if action not in ACTIONS:
            action = "validate"
        item = ContentFile.for_key("flow", flow_id)
        async with console.sessions() as session, session.begin():
            files = await current_files(session, console.settings)
            if action == "publish":
                bundle, _ = validate(files, console.settings)
                text = with_version(text, flow_version(bundle, flow_id) + 1)
            checked = check_change(files, item, text, console.settings)
            if not checked.ok or action != "publish":
                chat = None
                if action == "test" and checked.ok:
                    chat = test_chat(
                        checked.bundle, flow_id, answers_from(answers), lang=test_lang,
                        today=console.today(),
                        resolve_municipality=console.content.resolve_municipality
                        if console.content else None,
                    )
                return editor(
                    request, flow_id, text, published=text == files.get(item),
                    status_code=200 if checked.ok else 422, issues=checked.issues, chat=chat,
                    answers=answers, test_lang=test_lang, checked=True,
                )
            row = await publish(session, item=item, body=text, viewer=form.viewer,
                                action="content.save")
        if row is not None:
            await console.published()
        saved = row.version if row else "unchanged"
        return RedirectResponse(f"/console/flows/{flow_id}?saved={saved}", status_code=303)

    return router
