"""Job leads in the console: list with filters (admins and coaches), edit, expire and delete
one lead, and import a CSV with the importer's per-row report (admins).

An edited lead is checked by the same rules as a CSV row (bot/jobs/rows.py); an upload goes
through the CLI's importer (bot/jobs/importer.py), so bad rows are reported and left out, good
rows are written in one transaction, and nothing is half-written.
"""

import hmac
import logging
import re
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete, func, select
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.responses import RedirectResponse, Response

from bot.errors import StorageError
from bot.jobs.csvfile import DELIMITER_NAMES, LeadFileError
from bot.jobs.importer import ImportReport, import_file
from bot.jobs.models import LANGUAGE_LEVELS, SECTORS, JobLead
from bot.jobs.places import Places
from bot.jobs.rows import RowChecker
from bot.web import accounts
from bot.web.console import render
from bot.web.deps import CSRF_FIELD, Console, Forbidden, Gate, PostedForm, Viewer, read_limited

logger = logging.getLogger(__name__)
MAX_CSV_BYTES = 5 * 1024 * 1024
MULTIPART_SLACK = 64 * 1024  # the form's other fields and part headers around the file
PAGE_SIZE = 50
REPORT_ROWS = 500  # rejected rows listed on the page; the count covers all of them
FIELDS = ("employer", "title", "sector", "municipality", "hours_min", "hours_max",
          "language_level", "twv_willing", "contact_route", "valid_until", "source", "notes",
          "is_sample")
STATUSES = {"valid": "still valid", "expired": "expired", "all": "all"}
_UNSAFE_NAME = re.compile(r"[^\w.() -]+")


@dataclass
class Upload:
    viewer: Viewer
    too_large: bool = False  # the body was over the limit and left unread
    data: bytes = b""
    name: str = "upload.csv"
    fields: dict[str, str] = field(default_factory=dict)


def values_of(lead: JobLead) -> dict[str, str]:
    """A lead as the form's text values (the same columns as a CSV row)."""
    return {
        "employer": lead.employer, "title": lead.title, "sector": lead.sector,
        "municipality": lead.municipality_code, "hours_min": str(lead.hours_min),
        "hours_max": str(lead.hours_max), "language_level": lead.language_level,
        "twv_willing": "yes" if lead.twv_willing else "no",
        "contact_route": lead.contact_route, "valid_until": lead.valid_until.isoformat(),
        "source": lead.source or "", "notes": lead.notes or "",
        "is_sample": "yes" if lead.is_sample else "no",
    }


def field_of(problem: str) -> str:
    """The form field a RowChecker problem is about (each names its column first)."""
    head = problem.split(" ", 1)[0]
    if head == "hours":
        return "hours_min"
    return head if head in FIELDS else "form"


def upload_name(name: str | None) -> str:
    base = Path(name or "upload.csv").name
    return _UNSAFE_NAME.sub("_", base)[:100] or "upload.csv"


def build_jobs_router(console: Console, gate: Gate, places: Places | None = None) -> APIRouter:
    router = APIRouter(prefix="/console/jobs")
    Staff = Annotated[Viewer, Depends(gate.role("admin", "coach"))]
    AdminUser = Annotated[Viewer, Depends(gate.role("admin"))]
    AdminForm = Annotated[PostedForm, Depends(gate.form("admin"))]
    loaded: list[Places] = [places] if places is not None else []
    require_admin = gate.role("admin")

    def place_data() -> Places:
        if not loaded:  # read once, on first use (about 0.1 s)
            loaded.append(Places.load())
        return loaded[0]

    def place_name(code: str) -> str:
        try:
            return place_data().get(code).name
        except KeyError:
            return code

    async def read_upload(request: Request) -> Upload:
        """Role, a body limit of 5 MB plus the form around the file, then the CSRF token."""
        viewer = await require_admin(request)
        if await read_limited(request, MAX_CSV_BYTES + MULTIPART_SLACK) is None:
            return Upload(viewer, too_large=True)  # nothing was read past the limit
        try:
            form = await request.form(max_files=1, max_fields=10,
                                      max_part_size=MULTIPART_SLACK)
        except MultiPartException as exc:
            raise Forbidden(f"The form could not be read: {exc.message}") from None
        upload = Upload(viewer)
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                upload.data, upload.name = await value.read(), upload_name(value.filename)
            else:
                upload.fields.setdefault(key, value)
        if not hmac.compare_digest(upload.fields.get(CSRF_FIELD, ""), viewer.csrf_token):
            raise Forbidden("The form's security token is missing or out of date. "
                            "Go back, reload the page and try again.")
        return upload

    UploadForm = Annotated[Upload, Depends(read_upload)]

    @router.get("", name="jobs_list")
    async def jobs_list(
        request: Request, viewer: Staff, municipality: str = "", sector: str = "",
        status: str = "valid", page: str = "1",
    ) -> Response:
        today = console.today()
        status = status if status in STATUSES else "valid"
        query = select(JobLead)
        if municipality:
            query = query.where(JobLead.municipality_code == municipality)
        if sector in SECTORS:
            query = query.where(JobLead.sector == sector)
        if status == "valid":
            query = query.where(JobLead.valid_until >= today)
        elif status == "expired":
            query = query.where(JobLead.valid_until < today)
        number = max(1, int(page)) if page.isdecimal() and len(page) < 7 else 1
        async with console.sessions() as session:
            total = int(await session.scalar(
                select(func.count()).select_from(query.subquery())) or 0)
            leads = list(await session.scalars(
                query.order_by(JobLead.valid_until.desc(), JobLead.id.desc())
                .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
            codes = list(await session.scalars(
                select(JobLead.municipality_code).distinct()))
        places_in_use = sorted(((c, place_name(c)) for c in codes), key=lambda p: p[1])
        return render(
            console, request, "jobs_list.html", title="Job leads", leads=leads, total=total,
            page=number, pages=max(1, -(-total // PAGE_SIZE)), today=today,
            place_name=place_name, places_in_use=places_in_use, sectors=SECTORS,
            statuses=STATUSES, chosen={"municipality": municipality, "sector": sector,
                                       "status": status},
            notice=request.query_params.get("done"),
        )

    @router.get("/import", name="jobs_import_form")
    async def import_form(request: Request, viewer: AdminUser) -> Response:
        return render(console, request, "jobs_import.html", title="Import job leads",
                      max_mb=MAX_CSV_BYTES // (1024 * 1024), error=None, report=None)

    @router.post("/import", name="jobs_import")
    async def import_upload(request: Request, upload: UploadForm) -> Response:
        def page(status_code: int, *, error: str | None = None,
                 report: dict[str, Any] | None = None) -> Response:
            return render(console, request, "jobs_import.html", status_code=status_code,
                          title="Import job leads", max_mb=MAX_CSV_BYTES // (1024 * 1024),
                          error=error, report=report)

        limit_mb = MAX_CSV_BYTES // (1024 * 1024)
        too_big = (f"The file is larger than {limit_mb} MB, the limit for one upload. "
                   "Nothing was imported. Split it into smaller files and upload each.")
        if upload.too_large or len(upload.data) > MAX_CSV_BYTES:
            return page(413, error=too_big)
        data, name, viewer = upload.data, upload.name, upload.viewer
        if not data:
            return page(422, error="Choose a CSV file to upload (it was missing or empty).")
        dry_run = upload.fields.get("dry_run") == "yes"
        with tempfile.TemporaryDirectory(prefix="werkpad-leads-") as folder:
            path = Path(folder) / "upload.csv"
            path.write_bytes(data)
            try:
                result = await import_file(
                    console.sessions, path, places=place_data(), today=console.today(),
                    replace_sample=upload.fields.get("replace_sample") == "yes",
                    dry_run=dry_run)
            except LeadFileError as exc:
                return page(422, error=str(exc).replace(str(path), name))
            except StorageError as exc:
                logger.error("job leads upload failed: %s", exc)
                return page(503, error="The leads could not be written; nothing was imported. "
                                       "Try again later, or ask the operator to check the "
                                       "database.")
        if not dry_run:
            async with console.sessions() as session, session.begin():
                await accounts.audit(
                    session, actor=viewer.email, action="jobs.import",
                    user_id=viewer.user_id, target=f"csv/{name}"[:128],
                    detail={"imported": result.imported, "rejected": result.rejected,
                            "replaced_samples": result.replaced_samples, "bytes": len(data)})
        return page(200, report=report_view(result, name))

    @router.get("/{lead_id}", name="jobs_edit")
    async def lead_page(request: Request, lead_id: str, viewer: Staff) -> Response:
        async with console.sessions() as session:
            lead = await find(session, lead_id)
        if lead is None:
            return not_found(request, lead_id)
        return editor(request, lead, values_of(lead))

    @router.post("/{lead_id}", name="jobs_save")
    async def lead_save(request: Request, lead_id: str, form: AdminForm) -> Response:
        values = {name: form.get(name) for name in FIELDS}
        values["is_sample"] = "yes" if form.get("is_sample") == "yes" else "no"
        async with console.sessions() as session, session.begin():
            lead = await find(session, lead_id)
            if lead is None:
                return not_found(request, lead_id)
            # an expired lead may be corrected and keep its date; a new date must not be past
            today = console.today()
            if values["valid_until"].strip() == lead.valid_until.isoformat():
                today = min(today, lead.valid_until)
            checked, problems = RowChecker(place_data(), today).check(1, values)
            if checked is None:
                errors: dict[str, str] = {}
                for problem in problems:
                    key = field_of(problem)
                    errors[key] = f"{errors[key]}; {problem}" if key in errors else problem
                return editor(request, lead, values, errors=errors, status_code=422)
            before = values_of(lead)
            for column, value in checked.items():
                setattr(lead, column, value)
            changed = sorted(k for k, v in values_of(lead).items() if before[k] != v)
            await accounts.audit(
                session, actor=form.viewer.email, action="jobs.edit",
                user_id=form.viewer.user_id, target=f"job_lead/{lead.id}",
                detail={"changed": changed})
        return RedirectResponse(f"/console/jobs/{lead.id}?saved=1", status_code=303)

    @router.post("/{lead_id}/expire", name="jobs_expire")
    async def lead_expire(request: Request, lead_id: str, form: AdminForm) -> Response:
        async with console.sessions() as session, session.begin():
            lead = await find(session, lead_id)
            if lead is None:
                return not_found(request, lead_id)
            yesterday = console.today() - timedelta(days=1)
            if lead.valid_until > yesterday:
                lead.valid_until = yesterday
            await accounts.audit(
                session, actor=form.viewer.email, action="jobs.expire",
                user_id=form.viewer.user_id, target=f"job_lead/{lead.id}",
                detail={"valid_until": lead.valid_until.isoformat()})
        return RedirectResponse(f"/console/jobs/{lead.id}?saved=expired", status_code=303)

    @router.post("/{lead_id}/delete", name="jobs_delete")
    async def lead_delete(request: Request, lead_id: str, form: AdminForm) -> Response:
        async with console.sessions() as session, session.begin():
            lead = await find(session, lead_id)
            if lead is None:
                return not_found(request, lead_id)
            detail = {"title": lead.title, "employer": lead.employer,
                      "municipality": lead.municipality_code}
            await session.execute(delete(JobLead).where(JobLead.id == lead.id))
            await accounts.audit(
                session, actor=form.viewer.email, action="jobs.delete",
                user_id=form.viewer.user_id, target=f"job_lead/{lead.id}", detail=detail)
        return RedirectResponse("/console/jobs?done=deleted", status_code=303)

    async def find(session: Any, lead_id: str) -> JobLead | None:
        if not (lead_id.isascii() and lead_id.isdecimal()) or len(lead_id) > 18:
            return None
        lead: JobLead | None = await session.get(JobLead, int(lead_id))
        return lead

    def not_found(request: Request, lead_id: str) -> Response:
        return render(console, request, "error.html", status_code=404, title="Not found",
                      message=f"There is no job lead {lead_id[:40]!r}; it may have been "
                              "deleted.")

    def editor(
        request: Request, lead: JobLead, values: dict[str, str], *,
        errors: dict[str, str] | None = None, status_code: int = 200,
    ) -> Response:
        return render(
            console, request, "jobs_edit.html", status_code=status_code,
            title=f"Job lead {lead.id}", lead=lead, values=values, errors=errors or {},
            sectors=SECTORS, levels=LANGUAGE_LEVELS, today=console.today(),
            place=place_name(lead.municipality_code), saved=request.query_params.get("saved"),
        )

    return router


def report_view(report: ImportReport, name: str) -> dict[str, Any]:
    rejected = [r for r in report.results if r.problems]
    return {
        "name": name, "dry_run": report.dry_run, "imported": report.imported,
        "good": report.good, "rejected": report.rejected,
        "blank": sum(r.blank for r in report.results), "rows": len(report.results),
        "replaced_samples": report.replaced_samples, "ignored": report.ignored_columns,
        "delimiter": DELIMITER_NAMES[report.delimiter], "problems": rejected[:REPORT_ROWS],
        "more": max(0, len(rejected) - REPORT_ROWS),
    }
