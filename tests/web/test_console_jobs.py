"""Job leads in the console: the list and its filters, editing with the importer's rules,
expire and delete, and the CSV upload with its per-row report and its 5 MB limit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.db.session import make_sessionmaker
from bot.jobs.matching import match_leads
from bot.jobs.models import JobLead
from bot.web.models import AuditEvent
from tests.web.conftest import Site, csrf_token

PAYLOAD = '<script>alert("x")</script>'
HEADER = ("employer,title,sector,municipality,hours_min,hours_max,language_level,twv_willing,"
          "contact_route,valid_until,source,notes\n")


def field_error(html: str, name: str) -> str:
    """The error text shown at a form field."""
    match = re.search(rf'<p class="field-error" id="error-{name}"[^>]*>([^<]*)</p>', html)
    assert match, f"no error at {name}"
    return match.group(1)


def today(site: Site) -> date:
    return site.services.today()


async def add_lead(site: Site, **values: Any) -> int:
    """Insert one lead (valid for a year, in Amsterdam) and return its id."""
    lead = JobLead(**{
        "employer": "Schoon BV", "title": "Cleaner", "sector": "cleaning",
        "municipality_code": "GM0363", "hours_min": 16, "hours_max": 24,
        "language_level": "none", "twv_willing": True, "contact_route": "Via coach Anna",
        "valid_until": today(site) + timedelta(days=365), "source": "test", "notes": None,
        "is_sample": False, **values,
    })
    async with make_sessionmaker(site.engine)() as session, session.begin():
        session.add(lead)
    return lead.id


async def leads(site: Site) -> list[JobLead]:
    async with make_sessionmaker(site.engine)() as session:
        return list(await session.scalars(select(JobLead).order_by(JobLead.id)))


async def audit_actions(site: Site) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with make_sessionmaker(site.engine)() as session:
        rows = await session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.target, e.detail) for e in rows if e.action.startswith("jobs.")]


def form_of(lead_id: int, token: str, **changes: str) -> dict[str, str]:
    return {"csrf_token": token, "employer": "Schoon BV", "title": "Cleaner",
            "sector": "cleaning", "municipality": "GM0363", "hours_min": "16",
            "hours_max": "24", "language_level": "none", "twv_willing": "yes",
            "contact_route": "Via coach Anna", "valid_until": "2099-12-31", "source": "test",
            "notes": "", **changes}


async def test_the_list_filters_by_place_sector_and_status(
    site: Site, admin: httpx.AsyncClient
) -> None:
    await add_lead(site, title="Amsterdam cleaner")
    await add_lead(site, title="Rotterdam cook", sector="hospitality",
                   municipality_code="GM0599")
    await add_lead(site, title="Old warehouse job", sector="logistics",
                   valid_until=today(site) - timedelta(days=1))

    page = await admin.get("/console/jobs")
    assert page.status_code == 200
    assert "Amsterdam cleaner" in page.text and "Rotterdam cook" in page.text
    assert "Old warehouse job" not in page.text  # valid leads by default
    assert "2 leads" in page.text
    assert ">Rotterdam (GM0599)</option>" in page.text  # places that have leads

    by_place = await admin.get("/console/jobs", params={"municipality": "GM0599"})
    assert "Rotterdam cook" in by_place.text and "Amsterdam cleaner" not in by_place.text
    by_sector = await admin.get("/console/jobs", params={"sector": "cleaning"})
    assert "Amsterdam cleaner" in by_sector.text and "Rotterdam cook" not in by_sector.text
    expired = await admin.get("/console/jobs", params={"status": "expired"})
    assert "Old warehouse job" in expired.text and "Amsterdam cleaner" not in expired.text
    assert 'data-testid="expired">expired<' in expired.text
    everything = await admin.get("/console/jobs", params={"status": "all", "page": "x"})
    assert "3 leads" in everything.text


async def test_coaches_see_leads_but_cannot_change_them(
    site: Site, coach: httpx.AsyncClient
) -> None:
    lead_id = await add_lead(site, notes="Call before 10")
    listing = await coach.get("/console/jobs")
    assert listing.status_code == 200 and "Cleaner" in listing.text
    assert "/console/jobs/import" not in listing.text
    page = await coach.get(f"/console/jobs/{lead_id}")
    assert page.status_code == 200
    assert 'data-testid="lead-facts"' in page.text and "Call before 10" in page.text
    assert 'data-testid="lead-form"' not in page.text
    token = csrf_token(page.text)  # the sign-out form's
    refused = await coach.post(f"/console/jobs/{lead_id}", data=form_of(lead_id, token,
                                                                       title="Changed"))
    assert refused.status_code == 403
    assert (await leads(site))[0].title == "Cleaner"


async def test_a_bad_edit_shows_each_problem_at_its_field_and_changes_nothing(
    site: Site, admin: httpx.AsyncClient
) -> None:
    lead_id = await add_lead(site)
    page = await admin.get(f"/console/jobs/{lead_id}")
    response = await admin.post(f"/console/jobs/{lead_id}", data=form_of(
        lead_id, csrf_token(page.text), title="Call 06-12345678", sector="mining",
        municipality="Atlantis", hours_min="30", hours_max="20", valid_until="2001-01-01",
        language_level="C2", contact_route=""))
    assert response.status_code == 422
    html = response.text
    assert "Not saved" in html
    assert "phone number, e-mail address or link" in field_error(html, "title")
    assert "not one of" in field_error(html, "sector")
    assert "not a Dutch municipality" in field_error(html, "municipality")
    assert "hours 30-20" in field_error(html, "hours_min")
    assert "is in the past" in field_error(html, "valid_until")
    assert "language_level" in field_error(html, "language_level")
    assert "contact_route is empty" in field_error(html, "contact_route")
    assert 'value="Call 06-12345678"' in html  # the typed values stay in the form
    stored = (await leads(site))[0]
    assert (stored.title, stored.sector, stored.hours_min) == ("Cleaner", "cleaning", 16)
    assert await audit_actions(site) == []


async def test_an_edit_is_saved_checked_like_a_csv_row_and_audited(
    site: Site, admin: httpx.AsyncClient
) -> None:
    lead_id = await add_lead(site)
    page = await admin.get(f"/console/jobs/{lead_id}")
    response = await admin.post(f"/console/jobs/{lead_id}", data=form_of(
        lead_id, csrf_token(page.text), title="  Cleaner   (evenings) ", municipality="Utrecht",
        sector="schoonmaak", hours_max="", valid_until="31-12-2099", language_level="a2",
        is_sample="yes"))
    assert response.status_code == 303, response.text[:2000]
    stored = (await leads(site))[0]
    assert stored.title == "Cleaner (evenings)"  # one line, as the importer makes it
    assert stored.municipality_code == "GM0344"
    assert (stored.sector, stored.hours_max, stored.language_level) == ("cleaning", 16, "A2")
    assert stored.valid_until == date(2099, 12, 31) and stored.is_sample is True
    [(action, target, detail)] = await audit_actions(site)
    assert (action, target) == ("jobs.edit", f"job_lead/{lead_id}")
    assert detail["changed"] == ["hours_max", "is_sample", "language_level", "municipality",
                                 "title", "valid_until"]
    shown = await admin.get(response.headers["location"])
    assert 'data-testid="saved"' in shown.text and "Utrecht" in shown.text


async def test_an_expired_lead_can_be_corrected_without_a_new_date(
    site: Site, admin: httpx.AsyncClient
) -> None:
    old = today(site) - timedelta(days=10)
    lead_id = await add_lead(site, valid_until=old)
    page = await admin.get(f"/console/jobs/{lead_id}")
    assert 'data-testid="expired-note"' in page.text
    response = await admin.post(f"/console/jobs/{lead_id}", data=form_of(
        lead_id, csrf_token(page.text), title="Office cleaner", valid_until=old.isoformat()))
    assert response.status_code == 303
    assert (await leads(site))[0].title == "Office cleaner"


async def test_expire_hides_the_lead_from_people_and_delete_removes_it(
    site: Site, admin: httpx.AsyncClient
) -> None:
    first, second = await add_lead(site), await add_lead(site, title="Dishwasher")

    places = site.services.places
    assert places is not None

    async def shown_to_people() -> list[int]:
        async with make_sessionmaker(site.engine)() as session:
            found = await match_leads(session, places=places,
                                      municipality_code="GM0363", location=None, sector=None,
                                      today=today(site))
        return sorted(m.lead.id for m in found)

    assert await shown_to_people() == [first, second]
    token = csrf_token((await admin.get(f"/console/jobs/{first}")).text)
    expired = await admin.post(f"/console/jobs/{first}/expire", data={"csrf_token": token})
    assert expired.status_code == 303
    assert (await leads(site))[0].valid_until == today(site) - timedelta(days=1)
    assert await shown_to_people() == [second]
    listing = await admin.get("/console/jobs", params={"status": "all"})
    assert listing.text.count('data-testid="expired"') == 1

    deleted = await admin.post(f"/console/jobs/{second}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303 and deleted.headers["location"].endswith("done=deleted")
    assert [lead.id for lead in await leads(site)] == [first]
    assert [a[0] for a in await audit_actions(site)] == ["jobs.expire", "jobs.delete"]
    assert (await admin.get(f"/console/jobs/{second}")).status_code == 404
    assert (await admin.get("/console/jobs/not-a-number")).status_code == 404
    gone = await admin.post(f"/console/jobs/{second}/delete", data={"csrf_token": token})
    assert gone.status_code == 404


async def upload(
    admin: httpx.AsyncClient, content: bytes, *, name: str = "leads.csv", token: str | None = None,
    **fields: str,
) -> httpx.Response:
    if token is None:
        token = csrf_token((await admin.get("/console/jobs/import")).text)
    return await admin.post("/console/jobs/import", data={"csrf_token": token, **fields},
                            files={"file": (name, content, "text/csv")})


async def test_a_csv_upload_keeps_good_rows_and_reports_bad_ones(
    site: Site, admin: httpx.AsyncClient
) -> None:
    future = (today(site) + timedelta(days=90)).isoformat()
    csv = (HEADER
           + f"Schoon BV,Cleaner,cleaning,Amsterdam,16,24,none,yes,Via coach,{future},x,\n"
           + f"Keuken BV,Cook,zoo keeping,Utrecht,20,32,A1,yes,Via coach,{future},x,\n"
           + "Magazijn BV,Picker,logistics,GM0599,32,40,none,yes,Via coach,2001-01-01,x,\n"
           + f"Hotel,{PAYLOAD},hospitality,Zwolle,8,16,none,no,Via coach,{future},x,\n"
           + f"Zorg BV,Helper,care,Rotterdam,12,20,A2,ja,Via coach,{future},x,\n")
    response = await upload(admin, csv.encode(), name='"><img src=x onerror=1>.csv')
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    assert "2 leads imported." in html and "3 rows rejected" in html
    rows = html.split('data-testid="rejected-row"')[1:]
    assert [r.split("<th scope=\"row\">")[1].split("<")[0] for r in rows] == ["3", "4", "5"]
    assert "sector &#39;zoo keeping&#39; is not one of" in rows[0]
    assert "valid_until 2001-01-01 is in the past" in rows[1]
    assert "title contains HTML or script" in rows[2]
    assert "<script>" not in html and "<img src=x" not in html
    assert sorted(lead.title for lead in await leads(site)) == ["Cleaner", "Helper"]
    [(action, target, detail)] = await audit_actions(site)
    assert action == "jobs.import" and target is not None and "<" not in target
    assert (detail["imported"], detail["rejected"]) == (2, 3)


async def test_check_only_writes_nothing(site: Site, admin: httpx.AsyncClient) -> None:
    future = (today(site) + timedelta(days=90)).isoformat()
    csv = HEADER + f"Schoon BV,Cleaner,cleaning,Amsterdam,16,24,none,yes,Via coach,{future},,\n"
    response = await upload(admin, csv.encode(), dry_run="yes")
    assert response.status_code == 200
    assert "1 row would be imported" in response.text
    assert await leads(site) == [] and await audit_actions(site) == []


async def test_a_file_that_is_not_a_leads_csv_gets_a_clear_error(
    site: Site, admin: httpx.AsyncClient
) -> None:
    for content, expected in ((b"name,age\nAda,36\n", "not a job-leads CSV"),
                              (b"PK\x03\x04xlsx", "Excel workbook"),
                              (HEADER.encode(), "has a header but no rows"),
                              ("é".encode("latin-1") + HEADER.encode(), "not UTF-8")):
        response = await upload(admin, content, name="mine.csv")
        assert response.status_code == 422, expected
        assert expected in response.text
        assert "mine.csv" in response.text and "werkpad-leads-" not in response.text
    missing = await upload(admin, b"")
    assert missing.status_code == 422 and "Choose a CSV file" in missing.text
    assert await leads(site) == []


async def test_uploads_over_5_mb_are_refused_and_nothing_is_imported(
    site: Site, admin: httpx.AsyncClient
) -> None:
    future = (today(site) + timedelta(days=90)).isoformat()
    row = f"Schoon BV,Cleaner,cleaning,Amsterdam,16,24,none,yes,Via coach,{future},,\n"
    just_over = HEADER + row * ((5 * 1024 * 1024) // len(row) + 1)
    assert 5 * 1024 * 1024 < len(just_over) < 5 * 1024 * 1024 + 1024
    for content in (just_over.encode(), b"x" * (6 * 1024 * 1024)):
        response = await upload(admin, content)
        assert response.status_code == 413
        assert "larger than 5 MB" in response.text and "Nothing was imported" in response.text
    assert await leads(site) == []
    assert (await admin.get("/console/")).status_code == 200  # still signed in


async def test_an_upload_without_the_csrf_token_is_refused(
    site: Site, admin: httpx.AsyncClient
) -> None:
    future = (today(site) + timedelta(days=90)).isoformat()
    csv = HEADER + f"Schoon BV,Cleaner,cleaning,Amsterdam,16,24,none,yes,Via coach,{future},,\n"
    for token in ("", "forged"):
        response = await upload(admin, csv.encode(), token=token)
        assert response.status_code == 403 and "security token" in response.text
    async with make_sessionmaker(site.engine)() as session:
        assert await session.scalar(select(func.count()).select_from(JobLead)) == 0


async def test_every_text_field_of_a_lead_is_rendered_escaped(
    site: Site, admin: httpx.AsyncClient, coach: httpx.AsyncClient
) -> None:
    # stored before the checks existed (or written to the database by hand)
    lead_id = await add_lead(site, employer=PAYLOAD, title=PAYLOAD, contact_route=PAYLOAD,
                             source=PAYLOAD, notes=PAYLOAD)
    for client in (admin, coach):
        for url in ("/console/jobs", f"/console/jobs/{lead_id}"):
            page = await client.get(url)
            assert page.status_code == 200
            assert "<script>" not in page.text
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    token = csrf_token((await admin.get(f"/console/jobs/{lead_id}")).text)
    fields = ("employer", "title", "contact_route", "source", "notes", "municipality",
              "hours_min", "valid_until", "sector")
    response = await admin.post(f"/console/jobs/{lead_id}", data=form_of(
        lead_id, token, **{name: PAYLOAD for name in fields}))
    assert response.status_code == 422
    assert "<script>" not in response.text
    assert "contains HTML or script" in field_error(response.text, "notes")


async def test_a_streamed_upload_is_not_read_past_the_limit(
    site: Site, admin: httpx.AsyncClient
) -> None:
    """Without a Content-Length the body is read in chunks and reading stops at the limit."""
    token = csrf_token((await admin.get("/console/jobs/import")).text)
    boundary = "werkpadtestboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n{HEADER}").encode()
    chunk = b"x" * (64 * 1024)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for part in [head] + [chunk] * 160:  # 10 MB in all
            sent += len(part)
            yield part

    response = await admin.post(
        "/console/jobs/import", content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413 and "larger than 5 MB" in response.text
    assert sent <= 5 * 1024 * 1024 + 64 * 1024 + 2 * len(chunk)  # stopped at the limit
    assert await leads(site) == []
