"""What coaches do with a ticket, from the Telegram coaches' group or the web console.

Every action is one transaction that saves what must reach the person (a coach's message, the
bot's notice "a coach is here") as a pending RelayMessage before the caller acknowledges
anything; the relay worker delivers it afterwards. Claiming is a compare-and-set on the
ticket's status, so two coaches pressing Claim at once cannot both win.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repositories as repo
from bot.db.models import Person, utcnow
from bot.handoff.access import may_see
from bot.handoff.desk import history_note, restore_flow
from bot.handoff.models import OPEN, MessageLink, RelayMessage, Ticket

if TYPE_CHECKING:
    from bot.dialogue.manager import Services
    from bot.web.models import User

logger = logging.getLogger(__name__)


class HandoffRefused(Exception):
    """The coach may not do this now; `str(exc)` says why, for the coach."""


class TicketNotFound(HandoffRefused):
    """No such ticket, or not one this coach may see (bot/handoff/access.py): said alike."""


@dataclass(frozen=True, slots=True)
class Done:
    ticket: Ticket
    message_id: int | None = None


class Coaches:
    def __init__(self, services: Services) -> None:
        self.s = services

    # -- who ---------------------------------------------------------------------------------

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """The active coach or admin with this Telegram account, else None."""
        from bot.web.models import User

        async with self.s.sessions() as session:
            found = await session.scalars(select(User).where(
                User.telegram_id == telegram_id, User.active.is_(True),
                User.role.in_(("coach", "admin"))))
            return found.first()

    async def ticket_for_topic(self, thread_id: int) -> Ticket | None:
        async with self.s.sessions() as session:
            found = await session.scalars(select(Ticket).where(
                Ticket.topic_thread_id == thread_id).order_by(Ticket.id.desc()).limit(1))
            return found.first()

    # -- actions -----------------------------------------------------------------------------

    async def claim(self, ticket_id: int, coach: User, *, via: str) -> Done:
        async with self.s.sessions() as session, session.begin():
            ticket = await self._ticket(session, ticket_id, coach)
            now = utcnow()
            result = await session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status.in_(("waiting", "released")))
                .values(status="claimed", coach_id=coach.id, coach_name=coach.name,
                        claimed_at=now, revision=Ticket.revision + 1)
                .execution_options(synchronize_session=False))
            await session.refresh(ticket)  # read before the update: what it is now
            if getattr(result, "rowcount", 0) != 1:
                if ticket.status == "claimed" and ticket.coach_id == coach.id:
                    return Done(ticket)  # a second tap on Claim: already yours
                who = ticket.coach_name or "another coach"
                raise HandoffRefused(f"ticket #{ticket_id} is {ticket.status}"
                                     + (f" by {who}" if ticket.status == "claimed" else ""))
            history_note(session, ticket, f"Claimed by {coach.name} ({via}).", coach_id=coach.id)
            await self._notice(session, ticket, "handoff.claimed", name=coach.name)
        self.s.handoff_wakeup.set()
        return Done(ticket)

    async def reply(
        self, ticket_id: int, coach: User, text: str, *, via: str, kind: str = "text",
        source_chat_id: int | None = None, source_message_id: int | None = None,
        reply_to_telegram: int | None = None,
    ) -> Done:
        """A coach's message for the person (saved; the relay translates and sends it)."""
        text = text.strip()
        if not text and kind == "text":
            raise HandoffRefused("an empty message is not sent")
        async with self.s.sessions() as session, session.begin():
            ticket = await self._owned(session, ticket_id, coach)
            if source_chat_id is not None and source_message_id is not None:
                again = await self._linked(session, source_chat_id, source_message_id)
                if again is not None:  # the same Telegram message again (a redelivery)
                    return Done(ticket, again)
            reply_to = None
            if reply_to_telegram is not None and source_chat_id is not None:
                reply_to = await self._linked(session, source_chat_id, reply_to_telegram)
            message = RelayMessage(
                ticket_id=ticket.id, person_id=ticket.person_id, sender="coach",
                coach_id=coach.id, author=coach.name, via=via, kind=kind, text=text[:4096],
                source_chat_id=source_chat_id, source_message_id=source_message_id,
                reply_to_id=reply_to,
            )
            session.add(message)
            await session.flush()
            if source_chat_id is not None and source_message_id is not None:
                session.add(MessageLink(message_id=message.id, person_id=ticket.person_id,
                                        side="topic", chat_id=source_chat_id,
                                        telegram_message_id=source_message_id))
            message_id = message.id
        self.s.handoff_wakeup.set()
        return Done(ticket, message_id)

    async def edit(self, coach: User, chat_id: int, telegram_message_id: int,
                   text: str) -> Done | None:
        """The coach edited a message in the topic: the person's copy is corrected."""
        async with self.s.sessions() as session, session.begin():
            original_id = await self._linked(session, chat_id, telegram_message_id)
            original = await session.get(RelayMessage, original_id) if original_id else None
            if original is None or original.sender != "coach":
                return None
            ticket = await self._owned(session, original.ticket_id, coach)
            message = RelayMessage(
                ticket_id=ticket.id, person_id=ticket.person_id, sender="coach",
                coach_id=coach.id, author=coach.name, via="telegram", text=text.strip()[:4096],
                edit_of_id=original.id)
            session.add(message)
            await session.flush()
            message_id = message.id
        self.s.handoff_wakeup.set()
        return Done(ticket, message_id)

    async def note(self, ticket_id: int, coach: User, text: str, *, via: str) -> Done:
        """A private note: coaches see it, the person never does."""
        text = text.strip()
        if not text:
            raise HandoffRefused("write the note after /note")
        async with self.s.sessions() as session, session.begin():
            ticket = await self._ticket(session, ticket_id, coach)
            session.add(RelayMessage(ticket_id=ticket.id, person_id=ticket.person_id,
                                     sender="note", coach_id=coach.id, author=coach.name,
                                     via=via, text=text[:4096], status="stored"))
        return Done(ticket)

    async def release(self, ticket_id: int, coach: User, *, via: str) -> Done:
        """Hand back to the bot: the person goes on where they were before the coach."""
        async with self.s.sessions() as session, session.begin():
            ticket = await self._owned(session, ticket_id, coach)
            await repo.lock_person(session, person_id=ticket.person_id)
            state = await repo.get_state(session, person_id=ticket.person_id)
            resumed = restore_flow(state)
            state.revision += 1
            ticket.status, ticket.revision = "released", ticket.revision + 1
            history_note(session, ticket, f"Handed back to Werkpad by {coach.name}.",
                         coach_id=coach.id)
            buttons = [["button.continue", "cmd:continue"]] if resumed else []
            await self._notice(session, ticket, "handoff.released",
                               buttons=[*buttons, ["button.menu", "cmd:menu"]])
        self.s.handoff_wakeup.set()
        return Done(ticket)

    async def close(self, ticket_id: int, coach: User, *, via: str) -> Done:
        async with self.s.sessions() as session, session.begin():
            ticket = await self._ticket(session, ticket_id, coach)
            if ticket.status == "closed":
                raise HandoffRefused(f"ticket #{ticket_id} is already closed")
            if ticket.status == "claimed" and ticket.coach_id != coach.id \
                    and coach.role != "admin":
                raise HandoffRefused(f"ticket #{ticket_id} belongs to {ticket.coach_name}")
            was_with_coach = ticket.status == "claimed"
            await repo.lock_person(session, person_id=ticket.person_id)
            state = await repo.get_state(session, person_id=ticket.person_id)
            restore_flow(state)
            ticket.status, ticket.closed_at = "closed", utcnow()
            ticket.revision += 1
            history_note(session, ticket, f"Closed by {coach.name} ({via}).", coach_id=coach.id)
            if was_with_coach or ticket.claimed_at is not None:
                await self._notice(session, ticket, "handoff.closed",
                                   buttons=[["button.menu", "cmd:menu"]])
        self.s.handoff_wakeup.set()
        return Done(ticket)

    # -- helpers -----------------------------------------------------------------------------

    async def _ticket(self, session: AsyncSession, ticket_id: int,
                      coach: User | None = None) -> Ticket:
        """The ticket; with `coach`, only one they may see (else as if there were none)."""
        ticket = await session.get(Ticket, ticket_id)
        if ticket is None or (coach is not None
                              and not may_see(coach, ticket, self.s.settings.handoff)):
            raise self._not_found(ticket_id)
        return ticket

    @staticmethod
    def _not_found(ticket_id: int) -> TicketNotFound:
        return TicketNotFound(f"there is no ticket #{ticket_id} (the person may have asked "
                              "to be forgotten, or it is not handed to you)")

    async def _owned(self, session: AsyncSession, ticket_id: int, coach: User) -> Ticket:
        ticket = await self._ticket(session, ticket_id, coach)
        if ticket.status != "claimed":
            raise HandoffRefused(f"ticket #{ticket_id} is {ticket.status}: claim it first"
                                 if ticket.status in OPEN else
                                 f"ticket #{ticket_id} is closed")
        if ticket.coach_id != coach.id and coach.role != "admin":
            raise HandoffRefused(f"ticket #{ticket_id} belongs to {ticket.coach_name}")
        return ticket

    async def _linked(self, session: AsyncSession, chat_id: int, telegram_id: int) -> int | None:
        found = await session.scalars(select(MessageLink.message_id).where(
            MessageLink.chat_id == chat_id, MessageLink.telegram_message_id == telegram_id)
            .limit(1))
        return found.first()

    async def _notice(self, session: AsyncSession, ticket: Ticket, key: str, *,
                      buttons: list[list[str]] | None = None, **params: object) -> None:
        """The bot tells the person, in their language (rendered now, delivered by the relay)."""
        person = await session.get(Person, ticket.person_id)
        lang = (person.language if person else None) or ticket.language
        r = self.s.renderer
        rendered = await r.ui(key, lang, **params)
        labels = [[await r.ui_text(label, lang), payload] for label, payload in buttons or []]
        session.add(RelayMessage(
            ticket_id=ticket.id, person_id=ticket.person_id, sender="bot", via="core",
            text=rendered.text, language=rendered.language, buttons=labels,
            machine_translated=rendered.machine_translated))
