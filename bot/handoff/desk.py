"""The core's side of a handoff, inside one person's message transaction.

- `request`: the coach flow ended in `handoff:` -> a ticket joins the queue (or the open one is
  reused) and the person hears what happens next and, honestly, when;
- `intercept`: every message of a person with an open ticket passes here first. While a coach
  owns the conversation (claimed) the message is saved for the coach and the bot stays silent;
  while the ticket waits, the message is saved for the coach and the bot goes on as usual;
- `cancel`: the person no longer wants a coach.

Nothing here talks to Telegram or a translator: messages are saved as `pending`, and the
relay worker (relay.py) translates and delivers them after the transaction commits.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ConversationState, Event, utcnow
from bot.dialogue.render import format_day
from bot.handoff.hours import Hours, team_for, team_named
from bot.handoff.models import OPEN, RelayMessage, Ticket, TopicCleanup
from bot.messages import Button, OutgoingMessage

if TYPE_CHECKING:
    from bot.dialogue.manager import Services, Turn
    from bot.web.models import User

logger = logging.getLogger(__name__)

# The answers of the flow the person was in when they asked for a coach (kept for the summary
# and for "hand back": the person goes on where they were).
BEFORE_COACH = "before_coach"
# Slots that never go into a ticket's summary: coordinates point at where someone sleeps.
NOT_IN_SUMMARY = frozenset({"location"})
# Commands a person can still use while a coach owns the conversation.
OWN_COMMANDS = frozenset({"cmd:forget", "cmd:forget_yes", "cmd:forget_no", "cmd:privacy",
                          "cmd:coach_cancel"})
# How often a person waiting on a silent coach is told so, outside working hours.
CLOSED_NOTICE_EVERY = timedelta(hours=12)


async def open_ticket(session: AsyncSession, person_id: int) -> Ticket | None:
    found = await session.scalars(
        select(Ticket).where(Ticket.person_id == person_id, Ticket.status.in_(OPEN))
        .order_by(Ticket.id.desc()).limit(1))
    return found.first()


def remember_flow(turn: Turn) -> None:
    """Before the coach flow replaces the current flow: keep where the person was."""
    st = turn.state
    if st.flow_id and st.flow_id not in ("coach", "main_menu"):
        st.pending = {**st.pending, BEFORE_COACH: {
            "flow_id": st.flow_id, "step_id": st.step_id, "flow_version": st.flow_version,
            "slots": dict(st.slots), "back_stack": list(st.back_stack),
        }}


def restore_flow(st: ConversationState) -> bool:
    """Hand back: put the person where they were before the coach; False if nowhere."""
    before = st.pending.get(BEFORE_COACH)
    st.pending = {k: v for k, v in st.pending.items() if k != BEFORE_COACH}
    if not isinstance(before, dict):
        return False
    st.flow_id, st.step_id = before.get("flow_id"), before.get("step_id")
    st.flow_version = before.get("flow_version")
    st.slots = dict(before.get("slots") or {})
    st.back_stack = list(before.get("back_stack") or [])
    st.retries, st.awaiting = 0, None
    return st.flow_id is not None


# -- asking for a coach ------------------------------------------------------------------------


async def request(services: Services, turn: Turn, reason: str | None) -> None:
    """The coach flow ended: open a ticket (or keep the open one) and say what happens next."""
    session, person = turn.session, turn.person
    r = services.renderer
    now = utcnow()
    ticket = await open_ticket(session, person.id)
    if ticket is not None and ticket.status == "waiting":
        turn.replies.append(await r.message(await r.ui("handoff.already_waiting", turn.lang),
                                            turn.lang))
        turn.replies.append(await _expectation(services, session, ticket, turn.lang, now))
        return
    if ticket is None and await _over_request_limit(services, turn, now):
        return  # before the summary and the suggestions are worked out for nothing
    slots = _summary_slots(turn)
    municipality, region = _place(services, slots)
    teams = services.settings.handoff.teams
    team = team_for(teams, region)
    suggested = await suggest_coaches(session, turn.lang, region)
    summary: dict[str, Any] = {
        "slots": slots,
        "intents": await _recent_intents(session, person.id),
        "flow_before": (turn.state.pending.get(BEFORE_COACH) or {}).get("flow_id"),
        "fallbacks": turn.state.fallbacks,
    }
    if ticket is None:  # a new ticket
        ticket = Ticket(person_id=person.id, reason=(reason or "person_asked")[:32],
                        trigger=_trigger(turn), language=turn.lang, requested_at=now,
                        created_at=now, status="waiting", topic_state="none",
                        topic_attempts=0, revision=0)
        session.add(ticket)
    else:  # released earlier: the same ticket goes back into the queue
        ticket.status, ticket.coach_id, ticket.coach_name = "waiting", None, None
        ticket.reason = (reason or ticket.reason)[:32]
        ticket.requested_at, ticket.overdue_noticed_at = now, None
        ticket.language = turn.lang
    ticket.municipality, ticket.region, ticket.team = municipality, region, team.name
    ticket.summary, ticket.suggested = summary, suggested
    turn.state.pending = {k: v for k, v in turn.state.pending.items() if k != "coach_trigger"}
    group = services.settings.secrets.telegram_coach_group_id
    if group is not None and ticket.topic_state in ("none", "failed"):
        ticket.topic_state, ticket.topic_attempts = "pending", 0
    ticket.revision += 1
    await session.flush()
    turn.meta["handoff"] = {"ticket": ticket.id, "reason": ticket.reason}
    turn.meta["handoff_kick"] = True
    history_note(session, ticket, f"Requested ({ticket.reason}, via "
                 f"{person.channel}, language {turn.lang}).")
    r_buttons = [Button(await r.ui_text("button.cancel_request", turn.lang), "cmd:coach_cancel"),
                 Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]
    turn.replies.append(await r.message(await r.ui("handoff.requested", turn.lang), turn.lang))
    turn.replies.append(await _expectation(services, session, ticket, turn.lang, now,
                                           buttons=r_buttons))


async def _over_request_limit(services: Services, turn: Turn, now: datetime) -> bool:
    """A new ticket past settings.chat's limits: the person is told, nothing is opened.

    One person: new tickets in the last 24 hours, counted in the database (holds across
    processes and restarts). One network address (the web chat, where a new visitor costs
    nothing): new tickets in the last hour, counted in this process."""
    limits = services.settings.chat
    made = await turn.session.scalar(
        select(func.count(Ticket.id)).where(Ticket.person_id == turn.person.id,
                                            Ticket.created_at >= now - timedelta(days=1)))
    key = None
    if (made or 0) >= limits.coach_requests_per_person_per_day:
        key = "handoff.limit_person"
    elif turn.msg.origin and \
            services.limits.address_coach_requests.hit(turn.msg.origin) is not None:
        key = "handoff.limit_network"
    if key is None:
        return False
    logger.info("a coach request was refused: %s", key)
    turn.meta["coach_refused"] = key
    r = services.renderer
    buttons = [Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]
    turn.replies.append(await r.message(await r.ui(key, turn.lang), turn.lang,
                                        buttons=buttons))
    return True


async def cancel(services: Services, turn: Turn) -> None:
    """The person no longer waits: a waiting request is closed; a conversation a coach owns
    goes back to the bot (released: the coach can still read it and claim it again)."""
    ticket = await open_ticket(turn.session, turn.person.id)
    key = "handoff.cancelled"
    if ticket is not None and ticket.status == "waiting":
        ticket.status, ticket.closed_at = "closed", utcnow()
        ticket.revision += 1
        history_note(turn.session, ticket, "The person cancelled the request.")
        turn.meta["handoff_kick"] = True
    elif ticket is not None and ticket.status == "claimed":
        ticket.status = "released"
        ticket.revision += 1
        history_note(turn.session, ticket,
                     "The person went back to Werkpad (the coach had not answered).")
        turn.meta["handoff_kick"] = True
        key = "handoff.back_to_bot"
    r = services.renderer
    buttons = [Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]
    turn.replies.append(await r.message(await r.ui(key, turn.lang), turn.lang,
                                        buttons=buttons))


async def already_waiting(services: Services, turn: Turn) -> bool:
    """/coach while a ticket waits or a coach is already talking: say so, open nothing new."""
    ticket = await open_ticket(turn.session, turn.person.id)
    if ticket is None or ticket.status == "released":
        return False
    r = services.renderer
    turn.replies.append(await r.message(await r.ui("handoff.already_waiting", turn.lang),
                                        turn.lang))
    if ticket.status == "waiting":
        turn.replies.append(await _expectation(services, turn.session, ticket, turn.lang,
                                               utcnow()))
    return True


# -- messages during a handoff -----------------------------------------------------------------


async def intercept(services: Services, turn: Turn) -> bool:
    """Save the message for the coach; True when the coach owns the conversation (bot silent)."""
    msg = turn.msg
    if msg.payload in OWN_COMMANDS or (msg.payload or "").startswith("original:"):
        return False
    ticket = await open_ticket(turn.session, turn.person.id)
    if ticket is None or ticket.status == "released":
        return False
    owned = ticket.status == "claimed"
    if not owned and (msg.kind in ("button", "command") or msg.payload):
        return False  # using the menu while waiting is not a message for the coach
    text = turn.text or (f"[{msg.other_type}]" if msg.other_type else "")
    if msg.kind == "location" and msg.location is not None:
        text = f"[location {msg.location[0]:.3f}, {msg.location[1]:.3f}]"
    if not text:
        return owned
    telegram = msg.channel == "telegram"
    turn.session.add(RelayMessage(
        ticket_id=ticket.id, person_id=turn.person.id, sender="person", via=msg.channel,
        kind=msg.other_type or msg.kind, text=text[:4096], language=turn.lang,
        source_chat_id=int(msg.external_id) if telegram else None,
        source_message_id=int(msg.message_id) if telegram and msg.message_id and
        msg.message_id.isdigit() else None,
    ))
    turn.meta["handoff_kick"] = True
    turn.meta["relayed"] = ticket.id
    if owned:
        await _tell_if_coach_is_late(services, turn, ticket)
    return owned


async def unanswered_since(session: AsyncSession, ticket_id: int) -> datetime | None:
    """When the person's oldest message the coach has not answered yet was saved, if any."""
    last_coach = await session.scalar(
        select(RelayMessage.id).where(RelayMessage.ticket_id == ticket_id,
                                      RelayMessage.sender == "coach")
        .order_by(RelayMessage.id.desc()).limit(1))
    query = select(RelayMessage.at).where(RelayMessage.ticket_id == ticket_id,
                                          RelayMessage.sender == "person")
    if last_coach is not None:
        query = query.where(RelayMessage.id > last_coach)
    return await session.scalar(query.order_by(RelayMessage.id).limit(1))


async def _tell_if_coach_is_late(services: Services, turn: Turn, ticket: Ticket) -> None:
    """A coach owns the conversation but has not answered for longer than the team promises
    (or the team is off now): say so once in a while, and offer the way back to the bot."""
    await turn.session.flush()
    since = await unanswered_since(turn.session, ticket.id)
    if since is None:
        return
    settings = services.settings
    team = team_named(settings.handoff.teams, ticket.team)
    hours, now = Hours(team, settings.timezone), utcnow()
    if ticket.claimed_at is not None:  # a coach cannot be late for what came before the claim
        since = max(aware(since), aware(ticket.claimed_at))
    if now - aware(since) < timedelta(minutes=team.reply_minutes):
        return  # not long ago: give the coach time (also on a day off: they may be working)
    told = turn.state.pending.get("coach_late_at")
    told_at = datetime.fromisoformat(told) if isinstance(told, str) else None
    r = services.renderer
    if not hours.is_open(now):
        if told_at is not None and now - told_at < CLOSED_NOTICE_EVERY:
            return
        key, params = await expectation_text(services, turn.session, ticket, turn.lang, now)
        texts = [await r.ui(key, turn.lang, **params)]
    elif hours.open_minutes_between(aware(since), now) >= team.reply_minutes:
        if told_at is not None and now - told_at < timedelta(minutes=team.reply_minutes):
            return
        texts = [await r.ui("handoff.coach_late", turn.lang)]
    else:
        return
    turn.state.pending = {**turn.state.pending, "coach_late_at": now.isoformat()}
    buttons = [Button(await r.ui_text("button.back_to_bot", turn.lang), "cmd:coach_cancel")]
    for index, rendered in enumerate(texts):
        turn.replies.append(await r.message(
            rendered, turn.lang, buttons=buttons if index == len(texts) - 1 else []))


# -- coaches for a ticket ----------------------------------------------------------------------


async def suggest_coaches(session: AsyncSession, lang: str, region: str | None
                          ) -> list[list[Any]]:
    """Active coaches ranked: speaks the person's language (2), covers their region (1)."""
    from bot.web.models import User

    coaches = (await session.scalars(
        select(User).where(User.role == "coach", User.active.is_(True)))).all()
    ranked: list[tuple[int, int, User, list[str]]] = []
    for coach in coaches:
        why: list[str] = []
        score = 0
        if lang in _split(coach.languages):
            score, why = score + 2, [*why, f"speaks {lang}"]
        if region and region.casefold() in {r.casefold() for r in _split(coach.regions)}:
            score, why = score + 1, [*why, f"covers {region}"]
        ranked.append((score, coach.id, coach, why))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [[coach.id, coach.name, ", ".join(why)] for score, _, coach, why in ranked[:3]
            if score > 0]


def coach_matches(coach: User, ticket: Ticket) -> bool:
    return any(item[0] == coach.id for item in ticket.suggested or [])


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


# -- what the person is told -------------------------------------------------------------------


async def expectation_text(services: Services, session: AsyncSession, ticket: Ticket,
                           lang: str, now: datetime) -> tuple[str, dict[str, object]]:
    """The UI key and parameters that honestly say when a coach can answer."""
    settings = services.settings
    team = team_named(settings.handoff.teams, ticket.team)
    hours = Hours(team, settings.timezone)
    if not await _any_coach(session):
        return "handoff.expect.unknown", {}
    if hours.is_open(now):
        return "handoff.expect.soon", {"minutes": team.reply_minutes}
    opens = hours.next_open(now)
    if opens is None:
        return "handoff.expect.unknown", {}
    local = opens.astimezone(ZoneInfo(settings.timezone))
    return "handoff.expect.later", {"day": format_day(local.date(), lang),
                                    "time": local.strftime("%H:%M")}


async def _expectation(services: Services, session: AsyncSession, ticket: Ticket, lang: str,
                       now: datetime, buttons: list[Button] | None = None) -> Any:
    key, params = await expectation_text(services, session, ticket, lang, now)
    r = services.renderer
    return await r.message(await r.ui(key, lang, **params), lang, buttons=buttons or [])


async def _any_coach(session: AsyncSession) -> bool:
    from bot.web.models import User

    found = await session.scalars(
        select(User.id).where(User.role == "coach", User.active.is_(True)).limit(1))
    return found.first() is not None


def history_note(session: AsyncSession, ticket: Ticket, text: str, *,
                 coach_id: int | None = None) -> None:
    """A line by Werkpad in the ticket's history for coaches (never sent to the person);
    `coach_id`: the coach whose action it records."""
    session.add(RelayMessage(ticket_id=ticket.id, person_id=ticket.person_id, sender="note",
                             coach_id=coach_id, author="Werkpad", via="core", text=text,
                             status="stored"))


# -- summary -----------------------------------------------------------------------------------


def _summary_slots(turn: Turn) -> dict[str, Any]:
    before = turn.state.pending.get(BEFORE_COACH) or {}
    merged = {**(before.get("slots") or {}), **turn.state.slots}
    return {k: v for k, v in merged.items() if k not in NOT_IN_SUMMARY and v is not None}


def _place(services: Services, slots: dict[str, Any]) -> tuple[str | None, str | None]:
    code = slots.get("municipality")
    places = services.places
    if not isinstance(code, str) or places is None:
        return None, None
    try:
        found = places.get(code)
    except KeyError:
        return None, None
    return found.name, found.labour_market_region


def _trigger(turn: Turn) -> str:
    before = turn.state.pending.get(BEFORE_COACH) or {}
    if turn.state.pending.get("coach_trigger"):
        return str(turn.state.pending["coach_trigger"])[:32]
    if turn.state.fallbacks >= 1:
        return "not_understood"
    if before:
        return f"from_{before.get('flow_id')}"[:32]
    return "person_asked"


async def _recent_intents(session: AsyncSession, person_id: int) -> list[str]:
    rows = await session.scalars(
        select(Event.intent).where(Event.person_id == person_id, Event.direction == "in",
                                   Event.intent.is_not(None))
        .order_by(Event.id.desc()).limit(5))
    return [name for name in rows.all() if name]


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def remember_topic_for_cleanup(session: AsyncSession, person_id: int) -> None:
    """/forget: the coaches' topics about this person are deleted too (by the relay worker)."""
    threads = await session.scalars(
        select(Ticket.topic_thread_id).where(Ticket.person_id == person_id,
                                             Ticket.topic_thread_id.is_not(None)))
    for thread_id in threads.all():
        if thread_id is not None:
            session.add(TopicCleanup(thread_id=thread_id))


async def show_original(services: Services, turn: Turn, value: str) -> None:
    """The "Original" button under a translated coach message: the coach's own words."""
    r = services.renderer
    found = None
    if value.isdigit():
        found = await turn.session.get(RelayMessage, int(value))
    if found is None or found.person_id != turn.person.id or found.sender != "coach":
        turn.replies.append(await r.message(await r.ui("flow.question_closed", turn.lang),
                                            turn.lang))
        return
    label = await r.ui_text("handoff.original", turn.lang)
    turn.replies.append(OutgoingMessage(text=f"{label}\n\n{found.text}",
                                        language=found.language or "nl"))
    turn.log_incoming = True
