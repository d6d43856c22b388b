"""Webhook mode: the endpoint on the web app, the secret token, redeliveries."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select
from tg_harness import WEBHOOK_SECRET, WEBHOOK_URL, Harness, MakeBot

from bot.db.models import TelegramUpdate


@pytest.fixture
async def hook(make_bot: MakeBot) -> Harness:
    return await make_bot(webhook=True)


async def rows(bot: Harness) -> int:
    async with bot.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(TelegramUpdate)) or 0)


async def test_start_sets_the_webhook_with_the_secret_and_does_not_poll(hook: Harness) -> None:
    assert hook.api.webhook is not None
    assert hook.api.webhook["url"] == WEBHOOK_URL
    assert hook.api.webhook["secret_token"] == WEBHOOK_SECRET
    assert set(hook.api.webhook["allowed_updates"]) == {
        "message", "edited_message", "callback_query", "my_chat_member"}
    assert "getUpdates" not in [c.method for c in hook.api.calls]
    assert "deleteWebhook" not in [c.method for c in hook.api.calls]


async def test_the_right_secret_is_answered(hook: Harness) -> None:
    ana = hook.user(701)
    update = {"update_id": 5001, **ana.text_update("hello")}
    assert await hook.post_webhook(update, WEBHOOK_SECRET) == 200
    await hook.settled(5001)
    [consent] = hook.api.sent(701)
    assert "Do you agree?" in consent["text"]


@pytest.mark.parametrize("secret", ["wrong_secret_0123456789", "", None])
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_stored(
    hook: Harness, secret: str | None
) -> None:
    update = {"update_id": 5002, **hook.user(702).text_update("hello")}
    assert await hook.post_webhook(update, secret) == 403
    assert await rows(hook) == 0
    assert hook.api.sent(702) == []


async def test_a_webhook_retry_of_the_same_update_is_answered_once(hook: Harness) -> None:
    ana = hook.user(703)
    update = {"update_id": 5003, **ana.text_update("hello")}
    assert await hook.post_webhook(update, WEBHOOK_SECRET) == 200
    await hook.settled(5003)
    assert await hook.post_webhook(update, WEBHOOK_SECRET) == 200  # Telegram tries again
    marker = {"update_id": 5004, **hook.user(704).text_update("hello")}
    await hook.post_webhook(marker, WEBHOOK_SECRET)
    await hook.settled(5004)
    assert len(hook.api.sent(703)) == 1


async def test_a_body_that_is_not_an_update_is_refused(hook: Harness) -> None:
    assert hook.webhook is not None
    async with httpx.AsyncClient() as client:
        response = await client.post(
            hook.webhook, content=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
    assert response.status_code == 400
    assert await rows(hook) == 0


async def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(
        hook: Harness) -> None:
    """No Content-Length (chunked): the limit still holds, and nothing is stored."""
    from bot.channels.telegram.webhook import MAX_BODY

    assert hook.webhook is not None

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"update_id": 5010, "message": {"text": "'
        for _ in range(MAX_BODY // 4096 + 2):
            yield b"x" * 4096
        yield b'"}}'

    async with httpx.AsyncClient() as client:
        response = await client.post(hook.webhook, content=chunks(),
                                     headers={"X-Telegram-Bot-Api-Secret-Token":
                                              WEBHOOK_SECRET})
    assert response.status_code == 413
    assert await rows(hook) == 0


async def test_a_conversation_with_buttons_over_the_webhook(hook: Harness) -> None:
    ana = hook.user(705)
    await hook.post_webhook({"update_id": 5010, **ana.text_update("/start")}, WEBHOOK_SECRET)
    await hook.settled(5010)
    await hook.post_webhook({"update_id": 5011, **ana.press_update("cmd:consent")},
                            WEBHOOK_SECRET)
    await hook.settled(5011)
    assert "What would you like to do?" in hook.api.sent(705)[-1]["text"]
