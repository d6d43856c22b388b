"""The conversation manager: one IncomingMessage in, a list of OutgoingMessages out.

Per message: take the person's lock, open one transaction, load the person and their state,
decide (consent, command, flow answer, FAQ, clarify, fallback), save the state and the event
log, commit. Any unexpected error rolls the transaction back, so the state stays valid, and
the person gets a kind message in their language.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.content.store import ContentStore
from bot.db import repositories as repo
from bot.db.models import ConversationState, Event, Person, utcnow
from bot.db.session import checkpoint_after_delete, pool_capacity
from bot.delivery import Delivery
from bot.dialogue.locks import KeyedLocks
from bot.dialogue.render import Renderer
from bot.dialogue.text import clean
from bot.jobs.places import Places
from bot.language.decide import decide_language
from bot.language.detect import LanguageGuess, detect_language, normalise_hint, word_count
from bot.language.translation import Miss, cache_only
from bot.messages import Button, IncomingMessage, Link, OutgoingMessage
from bot.nlu.base import NLUEngine, ParseResult
from bot.ratelimit import ChatLimits
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_STORED_TEXT = 4096
RETRY_WINDOW = 20  # a retried message_id is looked for among the person's last 20 messages
# Channels whose message_id is the sender's retry key. Telegram's updates are made exactly-once
# by its ledger (bot/channels/telegram/ledger.py), so it needs no second look-up per message.
RETRY_CHANNELS = frozenset({"web"})
MAX_WARMING = 8  # background fetches of missed translations at once; more are dropped
MAX_KNOWN_LANGUAGES = 10_000  # people whose reply language is remembered for "slow down"


@dataclass
class Turn:
    """Everything one message's handling reads and writes."""

    msg: IncomingMessage
    person: Person
    state: ConversationState
    session: AsyncSession
    lang: str
    text: str
    today: date
    replies: list[OutgoingMessage] = field(default_factory=list)
    parse: ParseResult | None = None
    nlu_limit: int = 1000
    truncated: bool = False
    log_incoming: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    notices_shown: set[tuple[str, str, object]] = field(default_factory=set)  # each once a turn

    @property
    def nlu_text(self) -> str:
        """What the NLU reads: the text cut to nlu.max_text_length (parse time stays bounded)."""
        return self.text[: self.nlu_limit]


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    nlu: NLUEngine
    content: ContentStore
    renderer: Renderer
    places: Places | None = None
    today: Callable[[], date] = date.today
    # how to reach a person outside a reply (reminders, coaches): bot/delivery.py
    delivery: Delivery = field(default_factory=Delivery)
    # set after a transaction saved handoff messages: the relay worker delivers them at once
    handoff_wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    # the public chat's limits (settings.chat), counted in this process
    limits: ChatLimits = field(init=False)

    def __post_init__(self) -> None:
        self.limits = ChatLimits(self.settings.chat)


class Dialogue:
    """Channel-agnostic conversation manager (see DESIGN.md, 'One message's walk')."""

    def __init__(self, services: Services) -> None:
        from bot.dialogue.policy import Policy

        self.s = services
        self.locks = KeyedLocks()
        self.policy = Policy(services)
        # Messages wait here, first come first served, rather than timing out in the pool.
        self.slots = asyncio.Semaphore(pool_capacity(services.engine))
        self._warming: set[asyncio.Task[None]] = set()
        self._forgotten: set[str] = set()  # people deleted by the message just committed
        # the last reply language of recent people: "please slow down" needs no database
        self._languages: OrderedDict[str, str] = OrderedDict()

    @property
    def limits(self) -> ChatLimits:
        """The public chat's limits, for channels that count before they call `handle`."""
        return self.s.limits

    async def handle(self, msg: IncomingMessage) -> list[OutgoingMessage]:
        key = f"{msg.channel}:{msg.external_id}"
        wait = None if msg.counted else self.s.limits.message(key)
        if wait is not None:
            return await self._too_fast(msg, key, wait)
        async with self.locks.hold(key):
            try:
                replies, kick = await self._handle_locked(msg)
            except Exception:  # the boundary: log it all, tell the person something kind
                logger.exception("handling a %s message failed", msg.channel)
                return [await self._error_reply(msg)]
        if kick:  # committed: the relay may deliver to the coach now
            self.s.handoff_wakeup.set()
        if replies:
            self._languages[key] = replies[-1].language
            self._languages.move_to_end(key)
            while len(self._languages) > MAX_KNOWN_LANGUAGES:
                self._languages.popitem(last=False)
        return replies

    async def _too_fast(self, msg: IncomingMessage, key: str,
                        wait: float) -> list[OutgoingMessage]:
        """Over settings.chat.messages_per_minute: nothing is read or stored. The first
        refused message of a minute hears "please wait, then send it again" in the person's
        language (the web chat keeps the text in the box); later ones get no answer."""
        logger.info("a %s person is over the message limit (%.0f s to wait)", msg.channel,
                    wait)
        if not self.s.limits.first_refusal(key):
            return []
        lang = self._languages.get(key) or normalise_hint(msg.lang_hint) or \
            self.s.settings.languages.default
        with cache_only():
            reply = await self.s.renderer.message(
                await self.s.renderer.ui("limit.too_fast", lang), lang)
        reply.meta["limited"] = round(wait)
        return [reply]

    async def _handle_locked(
        self, msg: IncomingMessage
    ) -> tuple[list[OutgoingMessage], bool]:
        text = clean(msg.text or "")
        nlu_limit = self.s.settings.nlu.max_text_length
        # Typed text is parsed first, outside the transaction: its language is the NLU's
        # (the one language decision), and the policy and the flows reuse the parse.
        # The parse may call the translator (the pivot): it must not hold a database slot.
        parse = await self._parse_typed(msg, text[:nlu_limit])
        with cache_only() as missed:  # no network call inside the transaction
            async with self.slots:
                result = await self._transaction(msg, text, parse, nlu_limit)
                key = f"{msg.channel}:{msg.external_id}"
                if key in self._forgotten:
                    self._forgotten.discard(key)
                    await checkpoint_after_delete(self.s.engine)
        if missed:  # fetched now, outside; the next message finds them translated
            self._warm(missed)
        return result

    def _warm(self, missed: list[Miss]) -> None:
        warm = getattr(self.s.renderer.translator, "warm", None)
        if warm is None or len(self._warming) >= MAX_WARMING:
            return
        task = asyncio.create_task(warm(missed))
        self._warming.add(task)
        task.add_done_callback(self._warming.discard)

    async def _transaction(
        self, msg: IncomingMessage, text: str, parse: ParseResult | None, nlu_limit: int
    ) -> tuple[list[OutgoingMessage], bool]:
        async with self.s.sessions() as session, session.begin():
            person, _new = await repo.get_or_create_person(
                session, channel=msg.channel, external_id=msg.external_id
            )
            await repo.lock_person(session, person_id=person.id)
            if msg.message_id and msg.channel in RETRY_CHANNELS and person.consent_at is not None:
                again = await self._answered_before(session, person.id, msg.message_id)
                if again is not None:  # a retry: the same answer, nothing applied twice
                    return again, False
            state = await repo.get_state(session, person_id=person.id)
            limit = nlu_limit * 10
            turn = Turn(
                msg=msg, person=person, state=state, session=session,
                lang=self._language(person, msg, text, parse), text=text[:limit],
                truncated=len(text) > limit, today=self.s.today(), parse=parse,
                nlu_limit=nlu_limit,
            )
            await self.policy.run(turn)
            for reply in turn.replies:  # what the shell's --json, the logs and metrics report
                reply.meta.setdefault("intent", turn.parse.intent.name if turn.parse else None)
                if turn.meta.get("fallback"):
                    reply.meta["fallback"] = True  # the bot did not understand this message
                if reply.meta.get("flow") is None:
                    reply.meta["flow"], reply.meta["step"] = state.flow_id, state.step_id
            kick = bool(turn.meta.pop("handoff_kick", False))
            if person in session.deleted:  # forgotten (or declined) during this message
                self._forgotten.add(f"{msg.channel}:{msg.external_id}")
                return turn.replies, kick
            state.revision += 1
            person.last_seen = utcnow()
            if person.consent_at is not None and turn.log_incoming:
                await self._log(turn)
            return turn.replies, kick

    async def _answered_before(self, session: AsyncSession, person_id: int,
                               message_id: str) -> list[OutgoingMessage] | None:
        """The replies given to an earlier message with this `message_id` (among the person's
        last RETRY_WINDOW messages), rebuilt from the log; None when there was none."""
        recent = (await session.scalars(
            select(Event).where(Event.person_id == person_id, Event.direction == "in")
            .order_by(Event.id.desc()).limit(RETRY_WINDOW))).all()
        first = next((e for e in recent if e.meta.get("message_id") == message_id), None)
        if first is None:
            return None
        after = (await session.scalars(
            select(Event).where(Event.person_id == person_id, Event.id > first.id)
            .order_by(Event.id).limit(50))).all()
        replies = []
        for event in after:
            if event.direction != "out":
                break
            if event.meta.get("from"):  # pushed later (a coach's words): not this answer
                continue
            replies.append(OutgoingMessage(
                text=event.text or "", language=event.language or "en",
                buttons=[Button(label, payload) for label, payload in
                         event.meta.get("buttons", [])],
                links=[Link(title, url) for title, url in event.meta.get("links", [])],
                machine_translated=bool(event.meta.get("machine_translated")),
                meta={"repeat": True, "intent": event.intent, "flow": event.flow_id,
                      "step": event.step_id}))
        logger.info("a message sent again (same message_id): answered as the first time")
        return replies

    async def _parse_typed(self, msg: IncomingMessage, nlu_text: str) -> ParseResult | None:
        """The NLU's reading of a typed message (not a button, a command or an empty one)."""
        if msg.kind != "text" or not nlu_text or nlu_text.startswith("/"):
            return None
        return await self.s.nlu.parse(nlu_text)

    def _language(self, person: Person, msg: IncomingMessage, text: str,
                  parse: ParseResult | None) -> str:
        """The reply language (bot/language/decide.py): the person's choice, the language of
        the conversation so far, the NLU's reading of this message, the channel's hint."""
        supported = self.s.settings.languages.supported
        hint = normalise_hint(msg.lang_hint)
        guess = None
        if parse is not None:
            guess = LanguageGuess(parse.language, 0.0, parse.language_reliable, "nlu")
        elif text and msg.kind == "text":  # a command: what it says, as detection reads it
            guess = detect_language(text)
        # (a button's label may be an English fallback: it says nothing about the reader)
        language, source = decide_language(
            current=person.language, source=person.language_source, guess=guess,
            words=word_count(text), hint=hint, supported=supported)
        if language is not None and (language, source) != (person.language,
                                                           person.language_source):
            person.language, person.language_source = language, source
        return language or self.s.settings.languages.default

    async def _log(self, turn: Turn) -> None:
        msg, parse = turn.msg, turn.parse
        text = turn.text or None
        meta: dict[str, Any] = dict(turn.meta)
        if text is not None and len(text) > MAX_STORED_TEXT:
            text, meta["truncated"] = text[:MAX_STORED_TEXT], True
        if msg.other_type:
            meta["other_type"] = msg.other_type
        if msg.location:
            meta["location"] = [round(msg.location[0], 3), round(msg.location[1], 3)]
        if msg.message_id:
            meta["message_id"] = msg.message_id[:64]
        await repo.add_event(
            turn.session, person_id=turn.person.id, direction="in", kind=msg.kind,
            text=text, payload=(msg.payload or None) and msg.payload[:128],
            intent=parse.intent.name if parse else None,
            confidence=parse.intent.confidence if parse else None,
            language=parse.language if parse and parse.language_reliable else turn.lang,
            flow_id=turn.state.flow_id, step_id=turn.state.step_id, meta=meta,
        )
        for reply in turn.replies:
            await repo.add_event(
                turn.session, person_id=turn.person.id, direction="out", kind="text",
                text=reply.text, language=reply.language,
                intent=reply.meta.get("intent"), flow_id=reply.meta.get("flow"),
                step_id=reply.meta.get("step"),
                meta={"buttons": [[b.label, b.payload] for b in reply.buttons],
                      "links": [[link.title, link.url] for link in reply.links],
                      "machine_translated": reply.machine_translated},
            )

    async def _error_reply(self, msg: IncomingMessage) -> OutgoingMessage:
        lang = (msg.lang_hint or "en").split("-")[0]
        try:
            rendered = await self.s.renderer.ui("error.generic", lang)
            return await self.s.renderer.message(rendered, lang)
        except Exception:  # even the apology failed: fall back to a fixed English sentence
            logger.exception("could not render the error reply")
            return OutgoingMessage(
                text="Sorry, something went wrong on my side. Please try again in a moment.",
                language="en",
            )

    async def history(
        self, channel: str, external_id: str, limit: int = 50, pushed_after: int | None = None
    ) -> list[dict[str, Any]]:
        """Earlier messages of a returning web visitor, oldest first; with `pushed_after`, only
        the messages pushed since (a coach's words, a reminder: the open page asks for them)."""
        async with self.s.sessions() as session:
            person = await repo.find_person(session, channel=channel, external_id=external_id)
            if person is None:
                return []
            events = await repo.recent_events(session, person_id=person.id, limit=limit,
                                              pushed_after=pushed_after)
        return [
            {
                "id": e.id,
                "from": e.meta.get("from"),
                "original": e.meta.get("original"),
                "direction": e.direction,
                "text": e.text or "",
                "buttons": [{"label": b[0], "payload": b[1]} for b in e.meta.get("buttons", [])],
                "links": [{"title": t, "url": u} for t, u in e.meta.get("links", [])],
                "language": e.language,
                "machine_translated": bool(e.meta.get("machine_translated")),
                "at": e.at.isoformat(),
            }
            for e in events
        ]
