"""Abuse of the public chat (issue 15 item 4): messages per person, coach requests per person
and per network address, and nobody kept long who has not agreed to the privacy notice.

Written before the code: a person over the limit hears once, in their language, to wait and
send again, and nothing of the refused messages is read or stored; a flood of coach requests
from one address (new visitors cost nothing) stops at the limit while another address and
Telegram still get through; a person's own repeated requests stop at three a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.db.models import ConversationState, Event, Person
from bot.messages import IncomingMessage
from bot.privacy import purge_unconsented
from bot.ratelimit import ChatLimits, network_key
from tests.dialogue.conftest import MakeDialogue
from tests.dialogue.test_handoff import WEDNESDAY_NOON, ask_for_coach, coach, tickets
from tests.support.dialog import Chat


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def with_limits(dialogue: Any, clock: Clock, **chat: int) -> None:
    settings = dialogue.s.settings
    dialogue.s.settings = settings.model_copy(update={
        "chat": settings.chat.model_copy(update=chat)})
    dialogue.s.limits = ChatLimits(dialogue.s.settings.chat, clock=clock)


async def count(dialogue: Any, model: Any) -> int:
    async with dialogue.s.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_person_over_the_message_limit_is_told_once_and_nothing_is_stored(
        make_dialogue: MakeDialogue) -> None:
    dialogue = await make_dialogue()
    clock = Clock()
    with_limits(dialogue, clock, messages_per_minute=5)
    chat = Chat(dialogue)
    await chat.agree()  # two messages
    await chat.payload("lang:nl")  # a person who chose Dutch
    await chat.say("hello")
    await chat.say("what is a bsn")  # the fifth
    events = await count(dialogue, Event)
    replies = await chat.say("what is a bsn")  # the sixth in a minute
    assert len(replies) == 1
    assert replies[0].meta["limited"] >= 1
    chat.expect("wacht een minuut")  # in the person's language, not English
    assert replies[0].language == "nl"
    assert await chat.say("hello") == []  # told once a minute; the rest gets no answer
    assert await count(dialogue, Event) == events  # the refused messages were not stored
    clock.now += 61
    await chat.say("what is a bsn")
    chat.expect("BSN")  # after the minute the person is answered again
    assert await count(dialogue, Event) > events


async def test_another_person_is_not_held_up_by_someone_over_the_limit(
        make_dialogue: MakeDialogue) -> None:
    dialogue = await make_dialogue()
    with_limits(dialogue, Clock(), messages_per_minute=5)
    flooder = Chat(dialogue, user="flooder")
    for _ in range(8):
        await flooder.say("hello")
    assert flooder.last == []
    other = Chat(dialogue, user="someone-else")
    await other.agree()
    await other.say("what is a bsn")
    other.expect("BSN")


async def test_a_persons_own_coach_requests_stop_at_the_daily_limit(
        chat: Chat, monkeypatch: Any) -> None:
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: WEDNESDAY_NOON)
    await coach(chat.dialogue)
    with_limits(chat.dialogue, Clock(), coach_requests_per_person_per_day=2)
    for _ in range(2):
        await ask_for_coach(chat)
        chat.expect("job coach")
        await chat.payload("cmd:coach_cancel")
    await ask_for_coach(chat)
    chat.expect("several times today", "try again tomorrow")
    assert "cmd:menu" in chat.buttons
    assert len(await tickets(chat.dialogue)) == 2
    # a day later the person can ask again
    monkeypatch.setattr("bot.handoff.desk.utcnow",
                        lambda: WEDNESDAY_NOON + timedelta(days=1, minutes=1))
    await ask_for_coach(chat)
    chat.expect("job coach")
    assert len(await tickets(chat.dialogue)) == 3


async def test_a_flood_of_coach_requests_from_one_address_stops_there(
        make_dialogue: MakeDialogue, monkeypatch: Any) -> None:
    monkeypatch.setattr("bot.handoff.desk.utcnow", lambda: WEDNESDAY_NOON)
    dialogue = await make_dialogue()
    await coach(dialogue)
    clock = Clock()
    with_limits(dialogue, clock, coach_requests_per_address_per_hour=3)

    async def visitor(name: str, origin: str | None, channel: str = "web") -> Chat:
        c = OriginChat(dialogue, user=name, channel=channel, origin=origin)
        await c.agree()
        await ask_for_coach(c)
        return c

    for n in range(3):
        (await visitor(f"flood-{n}", "203.0.113.7")).expect("job coach")
    refused = await visitor("flood-3", "203.0.113.7")
    refused.expect("internet connection", "try again later")
    assert len(await tickets(dialogue)) == 3
    # a person elsewhere, and a Telegram chat (no address), are not affected
    (await visitor("elsewhere", "198.51.100.4")).expect("job coach")
    (await visitor("777001", None, channel="telegram")).expect("job coach")
    assert len(await tickets(dialogue)) == 5
    clock.now += 3601  # an hour later the address may ask again
    (await visitor("flood-4", "203.0.113.7")).expect("job coach")


async def test_nobody_who_has_not_agreed_is_kept_longer_than_the_setting(
        make_dialogue: MakeDialogue) -> None:
    dialogue = await make_dialogue()
    waiting = Chat(dialogue, user="not-yet")
    await waiting.say("I was exploited at work, my boss keeps my passport")  # held for a yes
    agreed = Chat(dialogue, user="agreed")
    await agreed.agree()
    async with dialogue.s.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 2
        held = await session.scalar(select(ConversationState.pending).join(
            Person, Person.id == ConversationState.person_id).where(
            Person.external_id == "not-yet"))
        assert "question" in held  # the first question is kept for after a yes ...
    sessions = dialogue.s.sessions
    now = datetime.now(UTC)
    assert await purge_unconsented(sessions, minutes=55, now=now) == 0  # ... for a while
    assert await purge_unconsented(sessions, minutes=55, now=now + timedelta(minutes=56)) == 1
    async with dialogue.s.sessions() as session:
        left = (await session.scalars(select(Person.external_id))).all()
        states = await session.scalar(select(func.count()).select_from(ConversationState))
    assert left == ["agreed"]
    assert states == 1  # the held question went with the person
    # coming back later is a first visit again: asked for consent, nothing remembered
    await waiting.say("hello")
    waiting.expect("agree")


def test_addresses_are_counted_per_ipv4_address_and_per_ipv6_64() -> None:
    assert network_key("203.0.113.7") == "203.0.113.7"
    assert network_key("2001:db8:1:2:aaaa::1") == network_key("2001:db8:1:2:ffff::9")
    assert network_key("2001:db8:1:2::1") != network_key("2001:db8:1:3::1")
    assert network_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert network_key(None) == "unknown"
    assert network_key("testclient") == "testclient"


class OriginChat(Chat):
    """A Chat whose messages carry a network address, as the web chat's do."""

    def __init__(self, dialogue: Any, *, user: str, channel: str, origin: str | None) -> None:
        super().__init__(dialogue, user=user, channel=channel)
        self.origin = origin

    async def send(self, message: IncomingMessage) -> list[Any]:
        from dataclasses import replace

        return await super().send(replace(message, origin=self.origin))
