"""Mount the admin and coach console on the one web app: routes, error pages, headers, CSS.

Every page is rendered on the server with Jinja autoescaping on; the pages load no script at
all (CSP `script-src 'none'`), only the one style sheet served from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import RedirectResponse, Response

from bot.content.languages import LANGUAGE_NAMES, RTL
from bot.content.store import ContentStore
from bot.language.translation import Translator
from bot.settings import Settings, web_secret_key
from bot.web.deps import (
    MAX_FORM_BYTES,
    Console,
    Forbidden,
    FormTooLarge,
    Gate,
    LoginRequired,
    page_context,
)

HERE = Path(__file__).parent
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every page, every value; nothing is marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["language_names"] = LANGUAGE_NAMES
    env.globals["rtl"] = RTL
    return Jinja2Templates(env=env)


def build_console(
    settings: Settings,
    *,
    sessions: async_sessionmaker[AsyncSession],
    translator: Translator,
    today: Callable[[], date],
    content: ContentStore | None = None,
    on_publish: list[Callable[[], Awaitable[None]]] | None = None,
) -> Console:
    return Console(
        settings=settings, sessions=sessions, templates=make_templates(),
        secret_key=web_secret_key(settings), translator=translator, today=today,
        content=content, on_publish=on_publish or [],
    )


def render(
    console: Console, request: Request, template: str, *, status_code: int = 200,
    **values: Any,
) -> Response:
    viewer = getattr(request.state, "viewer", None)
    context = page_context(request, viewer, **values)
    return console.templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=PAGE_HEADERS
    )


def mount_console(app: FastAPI, console: Console, *, nlu_holder: Any = None) -> None:
    """Add the console's routes and error pages to `app` (under /console); `nlu_holder` has
    the running bot's `nlu` (Services), which a retrain on the NLU page replaces."""
    from bot.web.routes_auth import build_auth_router
    from bot.web.routes_faq import build_faq_router
    from bot.web.routes_flows import build_flow_router
    from bot.web.routes_rules import build_rules_router
    from bot.web.routes_versions import build_version_router

    gate = Gate(console)
    app.include_router(build_auth_router(console, gate))
    app.include_router(build_faq_router(console, gate))
    app.include_router(build_flow_router(console, gate))
    app.include_router(build_rules_router(console, gate))
    app.include_router(build_version_router(console, gate))
    from bot.web.nlu_admin import NLUAdmin, RunningNLU
    from bot.web.routes_nlu import build_nlu_router
    from bot.web.routes_unanswered import build_unanswered_router

    running = RunningNLU(nlu_holder) if nlu_holder is not None else None
    app.include_router(build_nlu_router(
        console, gate, NLUAdmin(console.settings, console.sessions, running)))
    app.include_router(build_unanswered_router(console, gate))
    from bot.web.routes_audit import build_audit_router
    from bot.web.routes_dashboard import build_dashboard_router
    from bot.web.routes_jobs import build_jobs_router
    from bot.web.routes_users import build_users_router

    app.include_router(build_jobs_router(console, gate))
    app.include_router(build_users_router(console, gate))
    app.include_router(build_audit_router(console, gate))
    app.include_router(build_dashboard_router(console, gate))

    css = (HERE / "static" / "console.css").read_bytes()
    css_version = hashlib.sha256(css).hexdigest()[:12]
    console.templates.env.globals["css_url"] = f"/console/static/console.css?v={css_version}"

    @app.get("/console/static/console.css", include_in_schema=False, name="console_css")
    async def stylesheet() -> Response:
        return Response(css, media_type="text/css; charset=utf-8", headers={
            "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff",
        })

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(
            exc.next_url, status_code=303, headers={"Cache-Control": "no-store"}
        )

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(console, request, "error.html", status_code=403,
                      title="Not allowed", message=exc.message)

    @app.exception_handler(FormTooLarge)
    async def too_large(request: Request, exc: FormTooLarge) -> Response:
        return render(console, request, "error.html", status_code=413, title="Too large",
                      message=f"The form is larger than {MAX_FORM_BYTES // 1024} KB; "
                      "nothing was saved.")
