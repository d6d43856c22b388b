"""The web chat API: what the page sends reaches the chat service; errors come back as JSON."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from web_chat_fakes import VISITOR, FakeChatService

from bot.channels.web.schemas import MAX_BODY_BYTES
from bot.messages import IncomingMessage

MESSAGE_URL = "/chat/api/message"
HISTORY_URL = "/chat/api/history"


async def test_text_round_trip(client: httpx.AsyncClient, service: FakeChatService) -> None:
    response = await client.post(
        MESSAGE_URL,
        json={"visitor": VISITOR, "text": "متى يمكنني العمل؟", "lang": "ar", "message_id": "m1"},
    )

    assert response.status_code == 200
    assert service.handled == [
        IncomingMessage(
            channel="web",
            external_id=VISITOR,
            kind="text",
            text="متى يمكنني العمل؟",
            lang_hint="ar",
            message_id="m1",
            origin="127.0.0.1",
        )
    ]
    assert response.json() == {"replies": [reply.to_dict() for reply in service.replies]}
    assert response.json()["replies"][0]["buttons"] == [
        {"label": "May I work?", "payload": "intent:can_i_work"}
    ]


async def test_button_press_sends_its_payload_and_label(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    response = await client.post(
        MESSAGE_URL,
        json={"visitor": VISITOR, "payload": "intent:can_i_work", "text": "May I work?"},
    )

    assert response.status_code == 200
    [incoming] = service.handled
    assert incoming.kind == "button"
    assert incoming.payload == "intent:can_i_work"
    assert incoming.text == "May I work?"


async def test_language_picker_payload(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    await client.post(MESSAGE_URL, json={"visitor": VISITOR, "payload": "lang:ti", "lang": "en"})

    [incoming] = service.handled
    assert (incoming.kind, incoming.payload, incoming.lang_hint) == ("button", "lang:ti", "en")


async def test_unknown_language_hint_is_dropped(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "hi", "lang": "xx"})

    assert service.handled[0].lang_hint is None


@pytest.mark.parametrize(
    "visitor",
    ["short", "a" * 15, "a" * 65, "has space in it 123", "émoji-not-ascii-1234", "a/b" * 8, ""],
)
async def test_bad_visitor_id_is_refused(
    client: httpx.AsyncClient, service: FakeChatService, visitor: str
) -> None:
    response = await client.post(MESSAGE_URL, json={"visitor": visitor, "text": "hi"})

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_visitor"
    assert "16 to 64" in response.json()["detail"]
    assert service.handled == []


async def test_missing_visitor_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(MESSAGE_URL, json={"text": "hi"})

    assert (response.status_code, response.json()["error"]) == (422, "invalid_visitor")


@pytest.mark.parametrize("visitor", ["a" * 16, "Z" * 64, "abc_DEF-0123456789"])
async def test_visitor_id_edges_are_accepted(client: httpx.AsyncClient, visitor: str) -> None:
    response = await client.post(MESSAGE_URL, json={"visitor": visitor, "text": "hi"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"visitor": VISITOR}, "empty_message"),
        ({"visitor": VISITOR, "text": "   \n"}, "empty_message"),
        ({"visitor": VISITOR, "payload": "x" * 65}, "invalid_request"),
        ({"visitor": VISITOR, "payload": ""}, "invalid_request"),
        ({"visitor": VISITOR, "text": 5}, "invalid_request"),
        ({"visitor": VISITOR, "text": "hi", "message_id": "no spaces"}, "invalid_request"),
    ],
)
async def test_malformed_message_is_refused(
    client: httpx.AsyncClient, service: FakeChatService, body: dict[str, object], error: str
) -> None:
    response = await client.post(MESSAGE_URL, json=body)

    assert (response.status_code, response.json()["error"]) == (422, error)
    assert service.handled == []


async def test_invalid_json_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        MESSAGE_URL, content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


async def test_long_text_under_the_body_limit_is_passed_on(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    text = "a" * 15_000

    response = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": text})

    assert response.status_code == 200
    assert service.handled[0].text == text


async def test_oversized_body_is_refused(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    response = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "ب" * 10_500})

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert service.handled == []


async def test_oversized_body_without_content_length_is_refused(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"visitor": "' + VISITOR.encode() + b'", "text": "'
        for _ in range(30):
            yield b"x" * 1024
        yield b'"}'

    response = await client.post(
        MESSAGE_URL, content=chunks(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert service.handled == []


async def test_body_at_the_limit_is_accepted(client: httpx.AsyncClient) -> None:
    prefix = '{"visitor": "' + VISITOR + '", "text": "'
    body = prefix + "x" * (MAX_BODY_BYTES - len(prefix) - 2) + '"}'
    assert len(body.encode()) == MAX_BODY_BYTES

    response = await client.post(
        MESSAGE_URL, content=body.encode(), headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200


async def test_service_failure_is_a_503_and_logged(
    client: httpx.AsyncClient, service: FakeChatService, caplog: pytest.LogCaptureFixture
) -> None:
    service.error = RuntimeError("database is down")

    with caplog.at_level(logging.ERROR, logger="bot.channels.web.router"):
        response = await client.post(MESSAGE_URL, json={"visitor": VISITOR, "text": "secret text"})

    assert response.status_code == 503
    assert response.json() == {"error": "temporarily_unavailable"}
    [record] = caplog.records
    assert record.exc_info is not None and "database is down" in caplog.text
    # The person's words and their visitor id (a bearer secret) stay out of the log.
    assert "secret text" not in caplog.text and VISITOR not in caplog.text


async def test_history_for_a_returning_visitor(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    service.events = [
        {"direction": "in", "text": "hallo", "buttons": [], "at": "2025-01-05T10:00:00+00:00"},
        {
            "direction": "out",
            "text": "Hoi! Waarmee kan ik helpen?",
            "buttons": [{"label": "Mag ik werken?", "payload": "intent:can_i_work"}],
            "at": "2025-01-05T10:00:01+00:00",
        },
    ]

    response = await client.get(HISTORY_URL, params={"visitor": VISITOR})

    assert response.status_code == 200
    assert response.json() == {"events": service.events}
    assert service.history_calls == [("web", VISITOR, 50)]


@pytest.mark.parametrize("params", [{}, {"visitor": "short"}, {"visitor": "x" * 65}])
async def test_history_refuses_bad_visitor_ids(
    client: httpx.AsyncClient, service: FakeChatService, params: dict[str, str]
) -> None:
    response = await client.get(HISTORY_URL, params=params)

    assert (response.status_code, response.json()["error"]) == (422, "invalid_visitor")
    assert service.history_calls == []


async def test_history_failure_is_a_503(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    service.error = RuntimeError("boom")

    response = await client.get(HISTORY_URL, params={"visitor": VISITOR})

    assert response.status_code == 503
    assert response.json() == {"error": "temporarily_unavailable"}


async def test_history_times_may_be_datetimes(
    client: httpx.AsyncClient, service: FakeChatService
) -> None:
    at = datetime(2025, 1, 5, 10, 0, tzinfo=UTC)
    service.events = [{"direction": "out", "text": "Hoi", "buttons": [], "at": at}]

    response = await client.get(HISTORY_URL, params={"visitor": VISITOR})

    assert response.json()["events"][0]["at"] == at.isoformat()
