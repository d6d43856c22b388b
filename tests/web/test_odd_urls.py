"""Odd values in console URLs (NUL bytes, numbers too big for the database, words where an
id belongs) are a 404 or 422 page, never a 500 (issue 15, item 7). Every GET route with a
path parameter, as an admin, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import httpx

from tests.web.conftest import Site
from tests.web.test_routes_roles import console_routes

ODD = ["99999999999999999999999", "9223372036854775808", "-1", "0", "%00", "a%00b", "abc",
       "%F0%9F%98%80", "1e9", "%2e%2e"]


async def test_odd_path_values_never_give_a_server_error(
        site: Site, admin: httpx.AsyncClient) -> None:
    failures = []
    for method, path in console_routes(site):
        if method != "GET" or "{" not in path:
            continue
        for value in ODD:
            url = re.sub(r"\{\w+\}", value, path)
            response = await admin.get(url)
            if response.status_code >= 500:
                failures.append((url, response.status_code))
    assert failures == []


async def test_odd_query_values_never_give_a_server_error(
        site: Site, admin: httpx.AsyncClient) -> None:
    failures = []
    for method, path in console_routes(site):
        if method != "GET" or "{" in path:
            continue
        for query in ("?page=99999999999999999999999", "?page=-5", "?q=%00", "?show=%00",
                      "?lang=%00", "?state=%00", "?after=99999999999999999999999"):
            response = await admin.get(path + query)
            if response.status_code >= 500:
                failures.append((path + query, response.status_code))
    assert failures == []


async def test_a_nul_byte_anywhere_in_the_address_is_a_clear_400(
        admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    for client, url in ((admin, "/console/versions/faq/a%00b"), (admin, "/console/jobs?q=%00"),
                        (anon, "/chat/api/history?visitor=%00"), (anon, "/%00")):
        response = await client.get(url)
        assert response.status_code == 400, url
        assert "character that no page here uses" in response.text
    assert (await anon.get("/healthz")).status_code == 200
