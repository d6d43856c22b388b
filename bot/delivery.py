"""Sending to a person outside a request and its reply: reminders, a coach's words, notices.

The core answers a message with replies; some messages start on our side instead (a reminder
on the day work is allowed, a coach writing from the console). `Delivery` sends those through
the person's own channel:

- web: the message is written to the person's transcript (an outgoing event); the web chat
  asks for new events while it is open (`/chat/api/history?after=ID`), so it arrives there;
- telegram: sent by the Bot API (registered by the Telegram channel when it starts);
- a channel with nothing registered (the terminal shell, Telegram switched off): "unavailable",
  and the caller keeps the message to try again later.

Each outbound returns one Outcome; nothing here raises for a person who cannot be reached.
"""

from __future__ import annotations

import logging
from typing import Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repositories as repo
from bot.db.models import Person
from bot.messages import OutgoingMessage

logger = logging.getLogger(__name__)

# sent: delivered (or written where the channel will show it); blocked: the person blocked us,
# never retry; failed: try again later; unavailable: no way to this channel in this process.
Outcome = Literal["sent", "blocked", "failed", "unavailable"]


class Outbound(Protocol):
    async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome: ...


class WebOutbound:
    """The web chat has no push: the messages join the transcript the page polls."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
        async with self.sessions() as session, session.begin():
            found = await repo.find_person(
                session, channel=person.channel, external_id=person.external_id)
            if found is None:  # forgotten meanwhile: nobody to write to
                return "blocked"
            for reply in replies:
                await repo.add_event(
                    session, person_id=found.id, direction="out", kind="push",
                    text=reply.text, language=reply.language,
                    meta={"buttons": [[b.label, b.payload] for b in reply.buttons],
                          "links": [[link.title, link.url] for link in reply.links],
                          "machine_translated": reply.machine_translated,
                          **{k: v for k, v in reply.meta.items() if k in PUSH_META}},
                )
        return "sent"


# Extra facts a pushed message may carry into the transcript (the web chat shows them).
PUSH_META = ("from", "original", "translated", "reminder_id", "relay_id")


class Delivery:
    """Channel name -> how to reach a person there."""

    def __init__(self) -> None:
        self.outbounds: dict[str, Outbound] = {}

    def register(self, channel: str, outbound: Outbound) -> None:
        self.outbounds[channel] = outbound

    def reaches(self, channel: str) -> bool:
        return channel in self.outbounds

    async def send(self, person: Person, replies: list[OutgoingMessage]) -> Outcome:
        outbound = self.outbounds.get(person.channel)
        if outbound is None:
            return "unavailable"
        if not person.active:
            return "blocked"
        try:
            return await outbound.send(person, replies)
        except Exception:  # one person's failure must not stop the sender's loop
            logger.exception("delivery to a %s person failed", person.channel)
            return "failed"
