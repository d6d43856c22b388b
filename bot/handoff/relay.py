"""The relay worker: opens coaches' topics, translates and delivers relayed messages.

Every message it handles was saved as `pending` by the transaction that took it in (desk.py,
coaches.py). One round:

1. topics: each ticket waiting for a Telegram topic gets one (createForumTopic), opening with
   the summary and a Claim button;
2. messages, oldest first: taken in a short transaction (status `sending` with a lease; on
   PostgreSQL with SKIP LOCKED, so several processes never take the same one), translated
   and sent outside any transaction, then marked `delivered` or `undelivered` (the person
   blocked the bot: the coach is told). A message that could not be sent goes back to
   `pending` and a later round tries again; the person's later messages wait behind it, so
   the order holds. A process that dies while sending leaves a lease that runs out: the
   message is sent again (at least once; never lost);
3. topics of forgotten people are deleted; tickets waiting longer than the team's
   reply_minutes (working minutes) are pointed out to the coaches once per period.

It wakes when a transaction saved something (Services.handoff_wakeup) and every few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.languages import LANGUAGE_NAMES
from bot.db.models import Person, utcnow
from bot.handoff.desk import aware, unanswered_since
from bot.handoff.hours import Hours, team_named
from bot.handoff.models import MessageLink, RelayMessage, Ticket, TopicCleanup
from bot.language.detect import detect_language
from bot.messages import Button, OutgoingMessage

if TYPE_CHECKING:
    from bot.dialogue.manager import Services

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "blocked", "failed", "unavailable"]
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 8
MAX_TOPIC_ATTEMPTS = 5
BATCH = 50


@dataclass(frozen=True, slots=True)
class Posted:
    outcome: Outcome
    message_ids: list[int] = field(default_factory=list)


class TelegramLink(Protocol):
    """What the relay needs from Telegram (bot/channels/telegram/topics.py)."""

    group_id: int

    async def create_topic(self, name: str) -> int | None: ...
    async def post(self, html_text: str, *, thread_id: int | None,
                   keyboard: list[list[tuple[str, str]]] | None = None) -> Posted: ...
    async def edit_post(self, message_id: int, html_text: str, *,
                        keyboard: list[list[tuple[str, str]]] | None = None) -> None: ...
    async def copy(self, from_chat: int, message_id: int, *, to_chat: int,
                   thread_id: int | None) -> Posted: ...
    async def delete_topic(self, thread_id: int) -> None: ...
    async def to_person(self, chat_id: int, replies: list[OutgoingMessage], *,
                        reply_to: int | None = None) -> Posted: ...


@dataclass
class Job:
    """One message taken for delivery, with what sending it needs (plain values)."""

    id: int
    ticket_id: int
    sender: str
    via: str
    kind: str
    text: str
    language: str | None
    author: str | None
    buttons: list[Any]
    source_chat_id: int | None
    source_message_id: int | None
    reply_to_id: int | None
    edit_of_id: int | None
    attempts: int
    person: Person
    topic_thread_id: int | None
    topic_state: str
    # results
    status: str = "pending"
    error: str | None = None
    translation: str | None = None
    translated_to: str | None = None
    machine_translated: bool = False
    links: list[tuple[str, int, int]] = field(default_factory=list)  # side, chat, message


class Relay:
    def __init__(self, services: Services, telegram: TelegramLink | None = None, *,
                 interval: float = 2.0) -> None:
        self.s = services
        self.telegram = telegram
        self.interval = interval
        self.coach_lang = services.settings.handoff.coach_languages[0]
        self._last_overdue_check: datetime | None = None

    # -- the loop ----------------------------------------------------------------------------

    async def run_forever(self) -> None:
        wakeup = self.s.handoff_wakeup
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), timeout=self.interval)
            wakeup.clear()
            try:
                while await self.run_once():
                    wakeup.clear()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: try again later
                logger.exception("handoff relay round failed")

    async def run_once(self) -> int:
        """One round; the number of topics opened plus messages handled."""
        done = await self._open_topics()
        await self._refresh_openers()
        done += await self._deliver()
        await self._cleanup_topics()
        await self._overdue()
        return done

    # -- topics ------------------------------------------------------------------------------

    async def _open_topics(self) -> int:
        if self.telegram is None:
            return 0
        now = utcnow()
        async with self.s.sessions() as session, session.begin():
            query = (select(Ticket).where(
                Ticket.topic_state == "pending",
                or_(Ticket.topic_lease_until.is_(None), Ticket.topic_lease_until < now))
                .order_by(Ticket.id).limit(10))
            tickets = list((await session.scalars(_skip_locked(session, query))).all())
            for ticket in tickets:
                ticket.topic_lease_until = now + LEASE
        opened = 0
        for ticket in tickets:
            thread_id = await self.telegram.create_topic(topic_name(ticket))
            opener = None
            if thread_id is not None:
                posted = await self.telegram.post(
                    summary_html(ticket), thread_id=thread_id, keyboard=claim_keyboard(ticket))
                opener = posted.message_ids[0] if posted.message_ids else None
            async with self.s.sessions() as session, session.begin():
                row = await session.get(Ticket, ticket.id)
                if row is None:
                    continue  # forgotten meanwhile
                row.topic_lease_until = None
                if thread_id is None:
                    row.topic_attempts += 1
                    if row.topic_attempts >= MAX_TOPIC_ATTEMPTS:
                        row.topic_state = "failed"
                        logger.error("could not open a coaches' topic for ticket %s", row.id)
                    continue
                row.topic_state, row.topic_thread_id = "open", thread_id
                row.topic_opener_id, row.topic_revision = opener, ticket.revision
                opened += 1
        return opened

    async def _refresh_openers(self) -> int:
        """After a claim, release or close (in Telegram or the console): each topic's first
        message shows the ticket as it is now; Claim only while it can be claimed."""
        if self.telegram is None:
            return 0
        async with self.s.sessions() as session:
            stale = list((await session.scalars(select(Ticket).where(
                Ticket.topic_state == "open", Ticket.topic_opener_id.is_not(None),
                Ticket.topic_revision != Ticket.revision).limit(20))).all())
        for ticket in stale:
            assert ticket.topic_opener_id is not None
            await self.telegram.edit_post(ticket.topic_opener_id, summary_html(ticket),
                                          keyboard=claim_keyboard(ticket))
            async with self.s.sessions() as session, session.begin():
                row = await session.get(Ticket, ticket.id)
                if row is not None:
                    row.topic_revision = ticket.revision
        return len(stale)

    # -- messages ----------------------------------------------------------------------------

    async def _deliver(self) -> int:
        jobs = await self._take()
        blocked_tickets: set[int] = set()
        for job in jobs:
            if job.ticket_id in blocked_tickets:
                job.status = "pending"  # keep the order: after the one that failed
                continue
            try:
                await self._send(job)
            except Exception as exc:  # never lose the message: back to pending
                logger.exception("relaying message %s failed", job.id)
                job.status, job.error = "pending", type(exc).__name__
            if job.status == "pending":
                blocked_tickets.add(job.ticket_id)
        await self._finish(jobs)
        return sum(1 for job in jobs if job.status != "pending")

    async def _take(self) -> list[Job]:
        now = utcnow()
        async with self.s.sessions() as session, session.begin():
            query = (select(RelayMessage).where(or_(
                RelayMessage.status == "pending",
                (RelayMessage.status == "sending") & (RelayMessage.lease_until < now)))
                .order_by(RelayMessage.id).limit(BATCH))
            rows = list((await session.scalars(_skip_locked(session, query))).all())
            jobs: list[Job] = []
            for row in rows:
                ticket = await session.get(Ticket, row.ticket_id)
                person = await session.get(Person, row.person_id)
                if ticket is None or person is None:
                    continue
                if (row.sender == "person" and self.telegram is not None
                        and ticket.topic_state == "pending"):
                    continue  # the topic is about to open: the message waits for it
                row.status, row.lease_until = "sending", now + LEASE
                row.attempts += 1
                jobs.append(Job(
                    id=row.id, ticket_id=row.ticket_id, sender=row.sender, via=row.via,
                    kind=row.kind, text=row.text, language=row.language, author=row.author,
                    buttons=list(row.buttons or []), source_chat_id=row.source_chat_id,
                    source_message_id=row.source_message_id, reply_to_id=row.reply_to_id,
                    edit_of_id=row.edit_of_id, attempts=row.attempts, person=person,
                    topic_thread_id=ticket.topic_thread_id, topic_state=ticket.topic_state))
        return jobs  # the sessions keep their objects loaded after commit

    async def _finish(self, jobs: list[Job]) -> None:
        if not jobs:
            return
        now = utcnow()
        async with self.s.sessions() as session, session.begin():
            for job in jobs:
                row = await session.get(RelayMessage, job.id)
                if row is None:
                    continue  # the person was forgotten meanwhile
                row.lease_until = None
                row.error = job.error
                if job.translation is not None:
                    row.translation, row.translated_to = job.translation, job.translated_to
                    row.machine_translated = job.machine_translated
                if job.status == "pending":
                    row.status = "pending"
                    if job.attempts >= MAX_ATTEMPTS:
                        row.status, row.error = "undelivered", job.error or "gave up"
                    continue
                row.status = job.status
                if job.status == "delivered":
                    row.delivered_at = now
                for side, chat_id, message_id in job.links:
                    session.add(MessageLink(message_id=job.id, person_id=job.person.id,
                                            side=side, chat_id=chat_id,
                                            telegram_message_id=message_id))

    async def _send(self, job: Job) -> None:
        if job.sender == "person":
            await self._to_coaches(job)
        elif job.sender in ("coach", "bot"):
            await self._to_person(job)
            if job.status == "undelivered":
                await self._warn_coaches(job)
            elif job.sender == "coach" and job.via == "console":
                await self._mirror(job)
        else:
            job.status = "stored"

    async def _to_coaches(self, job: Job) -> None:
        lang = job.language or "en"
        if lang not in self.s.settings.handoff.coach_languages and job.kind in ("text",
                                                                                 "command"):
            job.translation = await self._translate(job.text, target=self.coach_lang,
                                                    source=lang)
            job.translated_to = self.coach_lang if job.translation else None
            job.machine_translated = job.translation is not None
        tg = self.telegram
        if tg is None or job.topic_state != "open" or job.topic_thread_id is None:
            job.status = "delivered"  # the console shows it; there is no topic to post to
            return
        if job.kind not in ("text", "command", "button", "location") \
                and job.source_chat_id is not None and job.source_message_id is not None:
            posted = await tg.copy(job.source_chat_id, job.source_message_id,
                                   to_chat=tg.group_id, thread_id=job.topic_thread_id)
        else:
            posted = await tg.post(person_html(job, self.coach_lang),
                                   thread_id=job.topic_thread_id)
        self._settle(job, posted, side="topic", chat_id=tg.group_id)

    async def _to_person(self, job: Job) -> None:
        person = job.person
        lang = person.language or self.s.settings.languages.default
        if job.sender == "bot":
            reply = OutgoingMessage(text=job.text, language=job.language or lang,
                                    buttons=[Button(label, payload)
                                             for label, payload in job.buttons],
                                    meta={"from": "werkpad"})
        else:
            reply = await self._coach_reply(job, lang)
        tg = self.telegram
        if person.channel == "telegram" and tg is not None:
            if not person.active:
                job.status, job.error = "undelivered", "the person blocked Werkpad"
                return
            reply_to = await self._person_side_id(job.reply_to_id) if job.reply_to_id else None
            chat = int(person.external_id)
            if job.kind != "text" and job.source_chat_id is not None \
                    and job.source_message_id is not None:  # a photo or file from the coach
                posted = await tg.copy(job.source_chat_id, job.source_message_id,
                                       to_chat=chat, thread_id=None)
                if posted.outcome != "sent" or not job.text:
                    self._settle(job, posted, side="person", chat_id=chat)
                    return
            posted = await tg.to_person(chat, [reply], reply_to=reply_to)
            self._settle(job, posted, side="person", chat_id=chat)
            return
        outcome = await self.s.delivery.send(person, [reply])
        self._settle(job, Posted(outcome), side="person", chat_id=None)

    async def _coach_reply(self, job: Job, lang: str) -> OutgoingMessage:
        """The coach's words in the person's language, marked, with the original a tap away."""
        r = self.s.renderer
        text = job.text
        prefix = f"✏️ {job.author or 'Coach'}: " if job.edit_of_id else f"{job.author or 'Coach'}: "
        guess = detect_language(text)
        written = guess.code if guess is not None and guess.reliable else self.coach_lang
        meta: dict[str, Any] = {"from": job.author or "coach", "relay_id": job.id}
        if written == lang:
            return OutgoingMessage(text=prefix + text, language=lang, meta=meta)
        translated = (await self._translate(text, target=lang, source=written)
                      if self.s.settings.handoff.translate else None)
        if translated is None:
            note = await r.ui_text("handoff.untranslated", lang,
                                   language=LANGUAGE_NAMES.get(written, written))
            meta["translated"] = False
            return OutgoingMessage(text=f"{prefix}{text}\n\n{note}", language=written, meta=meta)
        job.translation, job.translated_to, job.machine_translated = translated, lang, True
        note = await r.ui_text("handoff.translated", lang)
        meta.update(translated=True, original=text)
        return OutgoingMessage(
            text=f"{prefix}{translated}\n\n{note}", language=lang, machine_translated=True,
            buttons=[Button(await r.ui_text("button.original", lang), f"original:{job.id}")],
            meta=meta)

    async def _translate(self, text: str, *, target: str, source: str | None) -> str | None:
        try:
            return await self.s.renderer.translator.translate(
                text, target=target, source=source, personal=True)
        except Exception:  # a translator failure must not stop the message
            logger.exception("translation for a handoff message failed")
            return None

    def _settle(self, job: Job, posted: Posted, *, side: str, chat_id: int | None) -> None:
        if posted.outcome == "sent":
            job.status = "delivered"
            if chat_id is not None:
                job.links += [(side, chat_id, mid) for mid in posted.message_ids]
        elif posted.outcome == "blocked":
            job.status, job.error = "undelivered", "the person blocked Werkpad"
        else:
            job.status, job.error = "pending", posted.outcome

    async def _warn_coaches(self, job: Job) -> None:
        tg = self.telegram
        if tg is None or job.topic_thread_id is None:
            return
        await tg.post(f"⚠️ Not delivered: {html.escape(job.error or 'unknown')}. "
                      "The message is kept in the console.", thread_id=job.topic_thread_id)

    async def _mirror(self, job: Job) -> None:
        """A coach wrote in the console: the topic shows it too, so both places agree."""
        tg = self.telegram
        if tg is None or job.topic_thread_id is None:
            return
        await tg.post(f"🧑‍💼 <b>{html.escape(job.author or 'Coach')}</b> (console): "
                      f"{html.escape(job.text)}", thread_id=job.topic_thread_id)

    async def _person_side_id(self, relay_id: int) -> int | None:
        async with self.s.sessions() as session:
            found = await session.scalars(select(MessageLink.telegram_message_id).where(
                MessageLink.message_id == relay_id, MessageLink.side == "person").limit(1))
            return found.first()

    # -- housekeeping ------------------------------------------------------------------------

    async def _cleanup_topics(self) -> None:
        if self.telegram is None:
            return
        async with self.s.sessions() as session, session.begin():
            rows = list((await session.scalars(select(TopicCleanup).limit(20))).all())
            for row in rows:
                await session.delete(row)
        for row in rows:
            try:
                await self.telegram.delete_topic(row.thread_id)
            except Exception:
                logger.exception("could not delete a forgotten person's topic")

    async def _overdue(self, now: datetime | None = None) -> list[int]:
        """Tickets waiting longer than their team's reply_minutes (working time): tell coaches."""
        now = now or utcnow()
        if self._last_overdue_check and now - self._last_overdue_check < timedelta(minutes=1):
            return []
        self._last_overdue_check = now
        settings = self.s.settings
        flagged: list[int] = []
        async with self.s.sessions() as session, session.begin():
            open_tickets = (await session.scalars(
                select(Ticket).where(Ticket.status.in_(("waiting", "claimed"))))).all()
            for ticket in open_tickets:
                team = team_named(settings.handoff.teams, ticket.team)
                hours = Hours(team, settings.timezone)
                if not hours.is_open(now):
                    continue
                since = ticket.requested_at
                if ticket.status == "claimed":  # a coach has it: is the person left waiting?
                    unanswered = await unanswered_since(session, ticket.id)
                    if unanswered is None:
                        continue
                    since = aware(unanswered)
                waited = hours.open_minutes_between(since, now)
                last = ticket.overdue_noticed_at
                if waited < team.reply_minutes or (
                        last is not None and now - last < timedelta(minutes=team.reply_minutes)):
                    continue
                ticket.overdue_noticed_at = now
                flagged.append(ticket.id)
                if self.telegram is None:
                    continue
                if ticket.status == "claimed":
                    text = (f"⏰ Ticket #{ticket.id}: the person has waited {waited} working "
                            f"minutes for an answer from {html.escape(ticket.coach_name or '?')}.")
                else:
                    text = (f"⏰ Ticket #{ticket.id} ({ticket.language}, "
                            f"{html.escape(ticket.region or 'region unknown')}) has waited "
                            f"{waited} working minutes. Who can take it?")
                await self.telegram.post(text, thread_id=ticket.topic_thread_id)
        return flagged


def _skip_locked(session: AsyncSession, query: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


# -- what coaches see ------------------------------------------------------------------------


def claim_keyboard(ticket: Ticket) -> list[list[tuple[str, str]]] | None:
    if ticket.status in ("waiting", "released"):
        return [[("Claim", f"ho:claim:{ticket.id}")]]
    return None


def topic_name(ticket: Ticket) -> str:
    place = ticket.municipality or ticket.region or "place unknown"
    return f"#{ticket.id} · {ticket.language} · {place}"[:128]


def summary_html(ticket: Ticket) -> str:
    """The topic's first message: the ticket without anything that names the person."""
    e = html.escape
    lines = [f"<b>Ticket #{ticket.id}</b> — {e(ticket.status)}"
             + (f" by {e(ticket.coach_name)}" if ticket.coach_name else "")]
    lines.append(f"Reason: {e(ticket.reason)} (trigger: {e(ticket.trigger)})")
    lines.append(f"Language: {e(LANGUAGE_NAMES.get(ticket.language, ticket.language))} "
                 f"({e(ticket.language)})")
    if ticket.municipality or ticket.region:
        lines.append(f"Place: {e(ticket.municipality or '?')} — region {e(ticket.region or '?')}")
    slots = (ticket.summary or {}).get("slots") or {}
    if slots:
        lines.append("Answers: " + "; ".join(f"{e(str(k))}={e(str(v))}"
                                            for k, v in sorted(slots.items())))
    intents = (ticket.summary or {}).get("intents") or []
    if intents:
        lines.append("Recent questions: " + ", ".join(e(str(i)) for i in intents))
    if ticket.suggested:
        lines.append("Suggested coach: " + "; ".join(
            f"{e(str(name))} ({e(str(why))})" for _, name, why in ticket.suggested))
    if ticket.status == "waiting":
        lines.append("Press Claim to take this conversation. In this topic: /release hands "
                     "back to the bot, /close ends the ticket, /note TEXT adds a private note.")
    return "\n".join(lines)


def person_html(job: Job, coach_lang: str) -> str:
    e = html.escape
    if job.translation:
        return (f"👤 {e(job.translation)}\n<blockquote expandable>{e(job.text)}</blockquote>"
                f"<i>{e(job.language or '?')} → {e(coach_lang)}, machine-translated</i>")
    note = "" if (job.language in (coach_lang, "en", "nl")) else (
        f"\n<i>not translated ({e(job.language or '?')})</i>")
    return f"👤 {e(job.text)}{note}"
