"""Versions of a content file (admin): the list with who and when, one version's text, the
diff between two versions, and rollback (a new version with the old text)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.content.store import ContentFile, validate
from bot.web.console import render
from bot.web.deps import Console, Gate, PostedForm, Viewer, id_number
from bot.web.flow_tools import flow_version, with_version
from bot.web.publishing import (
    EDITABLE_KINDS,
    check_change,
    current_files,
    diff_lines,
    publish,
    version,
    versions,
)


def build_version_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/versions")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]

    def not_found(request: Request, what: str) -> Response:
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no {what}.")

    def editor_url(kind: str, key: str) -> str:
        return f"/console/faq/{key}" if kind == "answers" else f"/console/flows/{key}"

    @router.get("/{kind}/{key}", name="version_list")
    async def version_list(
        request: Request, kind: str, key: str, viewer: AdminUser
    ) -> Response:
        if kind not in EDITABLE_KINDS:
            return not_found(request, f"content kind {kind!r}")
        async with console.sessions() as session:
            rows = await versions(session, kind=kind, key=key)
        return render(console, request, "versions.html", title=f"Versions of {kind}/{key}",
                      kind=kind, key=key, rows=rows, editor_url=editor_url(kind, key),
                      error=None)

    @router.get("/{kind}/{key}/diff", name="version_diff")
    async def version_diff(
        request: Request, kind: str, key: str, viewer: AdminUser, a: str = "0", b: str = "0",
        raw: bool = False,
    ) -> Response:
        first, second = id_number(a), id_number(b)
        old = new = None
        if first is not None and second is not None:
            async with console.sessions() as session:
                old = await version(session, kind=kind, key=key, number=first)
                new = await version(session, kind=kind, key=key, number=second)
        if old is None or new is None:
            return not_found(request, f"version {a[:20]!r} or {b[:20]!r} of {kind}/{key}")
        lines = diff_lines(old.body, new.body, f"version {a}", f"version {b}", raw=raw)
        return render(console, request, "diff.html", title=f"{kind}/{key}: {a} → {b}",
                      kind=kind, key=key, old=old, new=new, lines=lines, raw=raw)

    @router.get("/{kind}/{key}/{number}", name="version_show")
    async def version_show(
        request: Request, kind: str, key: str, number: str, viewer: AdminUser
    ) -> Response:
        wanted, row = id_number(number), None
        if wanted is not None:
            async with console.sessions() as session:
                row = await version(session, kind=kind, key=key, number=wanted)
        if row is None:
            return not_found(request, f"version {number[:20]!r} of {kind}/{key}")
        return render(console, request, "version_show.html",
                      title=f"{kind}/{key} version {number}", kind=kind, key=key, row=row)

    @router.post("/{kind}/{key}/rollback", name="version_rollback")
    async def rollback(
        request: Request, kind: str, key: str, form: AdminForm
    ) -> Response:
        wanted = id_number(form.get("version"))
        if kind not in EDITABLE_KINDS or wanted is None:
            return not_found(request, f"version {form.get('version')[:20]!r} of {kind}/{key}")
        number = wanted
        item = ContentFile.for_key(kind, key)
        async with console.sessions() as session, session.begin():
            old = await version(session, kind=kind, key=key, number=number)
            if old is None:
                return not_found(request, f"version {number} of {kind}/{key}")
            files = await current_files(session, console.settings)
            body = old.body
            if kind == "flow":  # the flow's own version number only ever goes up
                bundle, _ = validate(files, console.settings)
                body = with_version(body, flow_version(bundle, key) + 1)
            checked = check_change(files, item, body, console.settings)
            if not checked.ok:
                rows = await versions(session, kind=kind, key=key)
                return render(
                    console, request, "versions.html", status_code=422,
                    title=f"Versions of {kind}/{key}", kind=kind, key=key, rows=rows,
                    editor_url=editor_url(kind, key),
                    error=(f"Version {number} cannot be restored: it does not fit the "
                           "content published now. Nothing changed.", checked.issues),
                )
            row = await publish(session, item=item, body=body, viewer=form.viewer,
                                action="content.rollback", detail={"from_version": number})
        if row is not None:
            await console.published()
        return RedirectResponse(f"/console/versions/{kind}/{key}", status_code=303)

    return router
