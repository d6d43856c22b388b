"""Rules (admin): every rule version with its status, dates and sources; put a proposed rule
in force from a date, or withdraw it. Each change is a new published version of rules.yml
(bot/content/rules_admin.py), checked like any console edit, and the running bot reloads it.
"""

import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from bot.content import rules_admin
from bot.content.store import validate
from bot.web.console import render
from bot.web.deps import Console, Gate, PostedForm, Viewer
from bot.web.publishing import current_files

logger = logging.getLogger(__name__)


def build_rules_router(console: Console, gate: Gate) -> APIRouter:
    router = APIRouter(prefix="/console/rules")
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]

    async def page(request: Request, *, status_code: int = 200, error: str | None = None,
                   issues: list[Any] | None = None, form: dict[str, str] | None = None,
                   ) -> Response:
        async with console.sessions() as session:
            files = await current_files(session, console.settings)
            text = await rules_admin.published_rules_text(session, console.settings)
        bundle, _ = validate(files, console.settings)
        try:
            rows = rules_admin.list_rules(text, bundle)
        except rules_admin.RulesEditError as exc:
            rows, error, issues = [], str(exc), exc.issues
        return render(console, request, "rules.html", status_code=status_code, title="Rules",
                      rows=rows, error=error, issues=issues or [], form=form or {},
                      today=console.today().isoformat(),
                      saved=request.query_params.get("saved"))

    @router.get("", name="rules_list")
    async def rules_list(request: Request, viewer: AdminUser) -> Response:
        return await page(request)

    @router.post("/enact", name="rules_enact")
    async def rules_enact(request: Request, form: AdminForm) -> Response:
        rule_id, start_text = form.get("rule_id").strip(), form.get("valid_from").strip()
        url, title = form.get("source_url").strip(), form.get("source_title").strip()
        values = {"rule_id": rule_id, "valid_from": start_text, "source_url": url,
                  "source_title": title}
        try:
            start = date.fromisoformat(start_text)
        except ValueError:
            return await page(request, status_code=422, form=values, error=(
                f"{start_text!r} is not a date. Pick the day the rule is in force from "
                "(YYYY-MM-DD)." if start_text else "Pick the day the rule is in force from."))
        source = rules_admin.NewSource(url, title or None) if url else None
        return await change(request, form, values, "rules.enact",
                            {"rule": rule_id, "from": start.isoformat()},
                            lambda text: rules_admin.enact(text, rule_id, start,
                                                           today=console.today(), source=source))

    @router.post("/withdraw", name="rules_withdraw")
    async def rules_withdraw(request: Request, form: AdminForm) -> Response:
        rule_id = form.get("rule_id").strip()
        return await change(request, form, {"rule_id": rule_id}, "rules.withdraw",
                            {"rule": rule_id}, lambda text: rules_admin.withdraw(text, rule_id))

    async def change(
        request: Request, form: PostedForm, values: dict[str, str], action: str,
        detail: dict[str, object], edit: Any,
    ) -> Response:
        try:
            async with console.sessions() as session, session.begin():
                text = await rules_admin.published_rules_text(session, console.settings)
                version = await rules_admin.publish_rules(
                    session, console.settings, edit(text), actor=form.viewer.email,
                    user_id=form.viewer.user_id, action=action, detail=detail)
        except rules_admin.RulesEditError as exc:
            return await page(request, status_code=422, error=str(exc), issues=exc.issues,
                              form=values)
        if version is not None:
            await console.published()
        return RedirectResponse(f"/console/rules?saved={version or 'unchanged'}",
                                status_code=303)

    return router
