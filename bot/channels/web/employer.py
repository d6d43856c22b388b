"""The employer's page on the web: the PDF to download and a printable HTML page.

Mount it with `app.include_router(build_employer_router(values=...))`:

    GET /employer/twv.pdf?lang=nl|en   the one-page PDF, inline, as werkgever-twv.pdf
                                       or employer-twv.pdf
    GET /employer/twv?lang=nl|en       the same page as HTML, no external assets

Any other `lang` gets Dutch. A broken flows/employer.yml is logged once at start-up and the
routes answer 503 with a short note, so the rest of the web app keeps running.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from html import escape

from fastapi import APIRouter
from starlette.responses import HTMLResponse, Response

from bot.content.employer import (
    EmployerPage,
    PageLanguage,
    RenderedPage,
    Values,
    employer_pdf,
    employer_pdf_filename,
    employer_text,
    load_employer_page,
    page_language,
    render_page,
)
from bot.content.pdf import Bullets, Heading, Paragraph
from bot.errors import ContentError

logger = logging.getLogger(__name__)

_STYLE = (
    "body{font:16px/1.5 Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0;background:#fff}"
    "main{max-width:46em;margin:0 auto;padding:1.5em}"
    "h1{font-size:1.5em;line-height:1.25;border-bottom:1px solid #bbb;padding-bottom:.3em}"
    "h2{font-size:1.1em;margin:1.2em 0 .2em}p{margin:.2em 0 .6em}ul{margin:.2em 0 .6em}"
    ".sources{font-size:.85em}.sources a{word-break:break-all}a{color:#03389c}"
    "nav{font-size:.9em}footer{margin-top:2em;border-top:1px solid #bbb;font-size:.8em;"
    "color:#555}@page{size:A4;margin:14mm 18mm}@media print{nav{display:none}"
    "body{font-size:9.5pt;line-height:1.35}main{padding:0;max-width:none}h1{margin-top:0}}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
HTML_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'self'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_NAV = {
    "nl": ("Download als PDF", "English version", "en"),
    "en": ("Download as PDF", "Nederlandse versie", "nl"),
}
_UNAVAILABLE = ("Deze pagina is nu niet beschikbaar. / This page is not available right now. "
                "https://www.uwv.nl")


def page_html(rendered: RenderedPage) -> str:
    """The rendered page as a self-contained, printable HTML document; every text escaped."""
    pdf_label, other_label, other = _NAV[rendered.lang]
    parts = [
        f'<!doctype html>\n<html lang="{rendered.lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(rendered.title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        "<body>\n<main>\n",
        f'<nav><a href="twv.pdf?lang={rendered.lang}">{escape(pdf_label)}</a> · '
        f'<a href="twv?lang={other}" hreflang="{other}">{escape(other_label)}</a></nav>\n',
        f"<h1>{escape(rendered.title)}</h1>\n",
    ]
    for block in rendered.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h2>{escape(block.text)}</h2>\n")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{escape(block.text)}</p>\n")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>\n")
    parts.append(f"<h2>{escape(rendered.sources_label)}</h2>\n<ul class=\"sources\">")
    for title, url, checked in rendered.sources:
        suffix = f" ({escape(checked)})" if checked else ""
        parts.append(f'<li>{escape(title)}{suffix}<br><a href="{escape(url)}" '
                     f'rel="noopener noreferrer">{escape(url)}</a></li>')
    parts.append(f"</ul>\n<footer><p>{escape(rendered.footer)}</p></footer>\n"
                 "</main>\n</body>\n</html>\n")
    return "".join(parts)


def build_employer_router(
    page: EmployerPage | None = None,
    *,
    values: Callable[[], Values] | None = None,
) -> APIRouter:
    """Routes for the employer's page. `values()` gives today's placeholder lookup (pass one
    made from the content bundle: bot/flows/engine.py `values_of`); without it, the page's
    own sources and flows/rules.yml."""
    if page is None:
        try:
            page = load_employer_page()
        except ContentError as exc:
            logger.error("the employer's page is switched off: %s", exc)
    router = APIRouter()
    pdf_cache: dict[tuple[PageLanguage, str], bytes] = {}

    def lookup() -> Values | None:
        return values() if values is not None else None

    @router.get("/employer/twv.pdf", name="employer_pdf", include_in_schema=False)
    async def pdf(lang: str | None = None) -> Response:
        if page is None:
            return Response(_UNAVAILABLE, status_code=503, media_type="text/plain")
        code, filled = page_language(lang), lookup()
        key = (code, employer_text(code, page=page, values=filled))  # the same words: same PDF
        if key not in pdf_cache:
            pdf_cache.clear()  # only today's page is asked for
            pdf_cache[key] = employer_pdf(code, page=page, values=filled)
        return Response(pdf_cache[key], media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{employer_pdf_filename(code)}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-cache",
        })

    @router.get("/employer/twv", name="employer_page", include_in_schema=False)
    async def html_page(lang: str | None = None) -> Response:
        if page is None:
            return Response(_UNAVAILABLE, status_code=503, media_type="text/plain")
        rendered = render_page(lang or "nl", page=page, values=lookup())
        return HTMLResponse(page_html(rendered), headers=HTML_HEADERS)

    return router
