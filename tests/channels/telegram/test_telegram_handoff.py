"""A whole handoff over the fake Bot API: a Tigrinya speaker asks for a coach, a topic opens
in the coaches' group with Claim, a stranger is refused, the registered coach claims, the two
write to each other (the person's words and the coach's are saved before they are relayed),
and /close ends it."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from sqlalchemy import select
from tg_harness import Harness, MakeBot, buttons

from bot.handoff.models import RelayMessage, Ticket
from bot.web.accounts import create_user

GROUP = -1001234567890
COACH_TG = 777001
_ids = itertools.count(5_000_000)


def group_message(thread_id: int, user_id: int, text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    return {"message": {
        "message_id": next(_ids), "date": int(time.time()), "message_thread_id": thread_id,
        "is_topic_message": True,
        "from": {"id": user_id, "is_bot": False, "first_name": "Coach"},
        "chat": {"id": GROUP, "type": "supergroup", "title": "Coaches", "is_forum": True},
        **content}}


def claim_press(user_id: int, opener: dict[str, Any], data: str) -> dict[str, Any]:
    return {"callback_query": {
        "id": f"cq{next(_ids)}", "from": {"id": user_id, "is_bot": False, "first_name": "X"},
        "chat_instance": "coaches", "data": data,
        "message": {k: v for k, v in opener.items() if not k.startswith("_")}}}


async def until(check: Any, within: float = 10) -> Any:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


async def test_handoff_in_tigrinya_through_the_coaches_group(make_bot: MakeBot) -> None:
    bot: Harness = await make_bot(env_extra={"TELEGRAM_COACH_GROUP_ID": str(GROUP)})
    api = bot.api
    async with bot.sessions() as session, session.begin():
        await create_user(session, email="amina@example.org", name="Amina", role="coach",
                          password="a long enough password", telegram_id=COACH_TG,
                          languages=["ti"])
    ti = bot.user(601, "ti")
    await bot.say(ti, "/start")
    await bot.press(ti, "cmd:consent")
    await bot.say(ti, "/coach")
    replies = await bot.press(ti, "answer:work_permit")
    assert "cmd:coach_cancel" in buttons(replies[-1])

    # a topic opens in the coaches' group, with the summary and Claim
    def opener() -> Any:
        async def find() -> Any:
            for params in api.sent(GROUP):
                if "ho:claim:" in str(params.get("reply_markup")):
                    return params
            return None
        return find
    first = await until(opener())
    thread_id = int(first["message_thread_id"])
    assert api.topics[thread_id].startswith("#")
    assert "ትግርኛ (ti)" in first["text"] and "Amina (speaks ti" in first["text"]
    stored = next(m for (chat, _), m in api.messages.items()
                  if chat == GROUP and m["text"].startswith("Ticket #"))

    # a stranger cannot claim; the coach can
    data = f"ho:claim:{(await ticket(bot)).id}"
    stranger = api.push(claim_press(999, stored, data))
    await bot.settled(stranger)
    assert (await ticket(bot)).status == "waiting"
    since = len(api.calls)
    claimed = api.push(claim_press(COACH_TG, stored, data))
    await bot.settled(claimed)
    assert (await ticket(bot)).status == "claimed"
    notice = await until(lambda: _sent_to(bot, 601, since))
    assert "Amina" in notice[-1]["text"]

    # the person writes: saved, relayed into the topic, no bot answer
    since = len(api.calls)
    await bot.say(ti, "ሰላም፣ ስራሕ ክረክብ እደሊ")
    assert api.sent(601, since) == []
    relayed = await until(lambda: _sent_to(bot, GROUP, since))
    assert any("ሰላም" in m["text"] for m in relayed)

    # the person corrects a message: the coach gets the correction, the bot says nothing
    since = len(api.calls)
    edit = ti.edits(ti.sent_ids[-1], "ሰላም፣ ስራሕ ክረክብ እደሊ ኣብ ኣምስተርዳም")
    await bot.settled(edit)
    assert api.sent(601, since) == []
    corrected = await until(lambda: _sent_to(bot, GROUP, since))
    assert any("✏️" in m["text"] and "ኣምስተርዳም" in m["text"] for m in corrected)

    # a non-coach writing in the topic is refused politely; nothing reaches the person
    since = len(api.calls)
    refused = api.push(group_message(thread_id, 999, "hello from a stranger"))
    await bot.settled(refused)
    assert "only registered job coaches" in api.sent(GROUP, since)[-1]["text"]
    # the coach answers in the topic: the person receives it (translation is off: marked)
    since = len(api.calls)
    said = api.push(group_message(thread_id, COACH_TG, "Goedemiddag! Ik help je."))
    await bot.settled(said)
    to_person = await until(lambda: _sent_to(bot, 601, since))
    assert to_person[-1]["text"].startswith("Amina: Goedemiddag! Ik help je.")
    async def coach_rows() -> list[RelayMessage]:
        async with bot.sessions() as session:
            return list((await session.scalars(select(RelayMessage).where(
                RelayMessage.sender == "coach"))).all())

    rows = await until(lambda: _when(coach_rows, lambda r: r and r[0].status == "delivered"))
    assert len(rows) == 1

    # a restart in the middle of the handoff: the conversation goes on with the coach
    await bot.service.stop()
    bot = await make_bot(env_extra={"TELEGRAM_COACH_GROUP_ID": str(GROUP)})
    since = len(api.calls)
    await bot.say(ti, "ሕጂ ኣለኹ")  # "I am here now": still for the coach, not the bot
    assert api.sent(601, since) == []
    relayed = await until(lambda: _sent_to(bot, GROUP, since))
    assert any("ሕጂ ኣለኹ" in m["text"] for m in relayed)
    since = len(api.calls)
    said = api.push(group_message(thread_id, COACH_TG, "Tot morgen!"))
    await bot.settled(said)
    to_person = await until(lambda: _sent_to(bot, 601, since))
    assert to_person[-1]["text"].startswith("Amina: Tot morgen!")

    since = len(api.calls)
    closed = api.push(group_message(thread_id, COACH_TG, "/close"))
    await bot.settled(closed)
    assert (await ticket(bot)).status == "closed"
    closing = await until(lambda: _sent_to(bot, 601, since))
    assert any("ዓጺዩዎ" in m["text"] for m in closing), closing  # "has closed", in Tigrinya


async def ticket(bot: Harness) -> Ticket:
    async with bot.sessions() as session:
        return (await session.scalars(select(Ticket))).one()


async def _sent_to(bot: Harness, chat_id: int, since: int) -> list[dict[str, Any]]:
    return bot.api.sent(chat_id, since)


async def _when(get: Any, ok: Any) -> Any:
    value = await get()
    return value if ok(value) else None
