"""Scheduling and cancelling reminders from the conversation.

The offer is content: flows/flows/may_i_work.yml asks the `reminder` question (slot
`reminder`) when the check is done, with the date still in the flow's slots. When the answer
asks for a reminder, `handle` stores it, confirms it with a cancel button, and lets the flow go
on as for any answer. A reminder is only ever stored because the person pressed (or typed) it.

Payloads made here (bot/messages.py): `remind:cancel:<id>` cancels one pending reminder.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.flows.model import AskSpec
from bot.flows.render import format_value
from bot.flows.slots import SlotInvalid, validate_answer
from bot.messages import Button
from bot.reminders.models import Reminder

if TYPE_CHECKING:
    from bot.dialogue.flows import FlowRunner
    from bot.dialogue.manager import Services, Turn

logger = logging.getLogger(__name__)

OFFER_SLOT = "reminder"  # the slot of a flow question that offers a reminder
# answer value -> reminder kind
OFFERS = {"remind_work": "work_allowed", "remind_twv": "twv_check"}
CANCEL_PREFIX = "remind:cancel:"
SEND_AT = time(9, 0)  # local time on the due day: a message at a decent hour


def due_at(day: date, timezone: str, at: time = SEND_AT) -> datetime:
    """The moment (UTC) to send a reminder due on `day`: `at` o'clock local time."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(UTC)


async def schedule(
    session: AsyncSession, *, person_id: int, kind: str, due_on: date, language: str,
    timezone: str, params: dict[str, Any] | None = None,
) -> Reminder:
    """Store a pending reminder; one already pending of this kind is moved to the new date."""
    found = await session.scalar(select(Reminder).where(
        Reminder.person_id == person_id, Reminder.kind == kind, Reminder.status == "pending"))
    reminder = found or Reminder(person_id=person_id, kind=kind, status="pending", attempts=0)
    reminder.due_on = due_on
    reminder.due_at = due_at(due_on, timezone)
    reminder.language = language
    reminder.params = dict(params or {})
    reminder.attempts = 0
    if found is None:
        session.add(reminder)
    await session.flush()
    return reminder


async def cancel(session: AsyncSession, *, person_id: int, reminder_id: int) -> bool:
    """Cancel one of the person's pending reminders; False when there is none to cancel."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.person_id == person_id,
               Reminder.status == "pending")
        .values(status="cancelled"))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def pending_for(session: AsyncSession, *, person_id: int) -> list[Reminder]:
    rows = await session.scalars(select(Reminder).where(
        Reminder.person_id == person_id, Reminder.status == "pending").order_by(Reminder.due_at))
    return list(rows)


# -- the conversation side ---------------------------------------------------------------------

async def handle(services: Services, flows: FlowRunner, turn: Turn) -> bool:
    """A cancel button, or the answer to a reminder offer; False when the message is neither."""
    payload = turn.msg.payload or ""
    if payload.startswith(CANCEL_PREFIX):
        await _cancel_pressed(services, turn, payload[len(CANCEL_PREFIX):])
        return True
    return await _offer_answered(services, flows, turn)


async def _cancel_pressed(services: Services, turn: Turn, value: str) -> None:
    r = services.renderer
    done = value.isdigit() and await cancel(
        turn.session, person_id=turn.person.id, reminder_id=int(value))
    key = "reminder.cancelled" if done else "reminder.gone"
    menu = [Button(await r.ui_text("button.menu", turn.lang), "cmd:menu")]
    turn.replies.append(await r.message(await r.ui(key, turn.lang), turn.lang, buttons=menu))
    turn.meta["reminder"] = "cancelled" if done else "gone"


async def _offer_answered(services: Services, flows: FlowRunner, turn: Turn) -> bool:
    state = turn.state
    bundle = services.content.bundle
    flow = bundle.flows.get(state.flow_id or "")
    step = flow.steps.get(state.step_id or "") if flow else None
    ask = step.payload if step else None
    if not isinstance(ask, AskSpec) or ask.slot != OFFER_SLOT:
        return False
    payload = turn.msg.payload
    if payload and not payload.startswith("answer:"):
        return False  # a command or another button: the policy handles it as usual
    answer = payload or turn.text
    result = validate_answer(ask, answer, turn.lang, bundle.keywords, turn.today)
    if isinstance(result, SlotInvalid) or result.value not in OFFERS:
        return False  # "no thanks", or not an answer at all: the flow deals with it
    kind = OFFERS[str(result.value)]
    due_on, params = _due(kind, state.slots, turn.today)
    if due_on is None:
        logger.error("reminder offer %s/%s without the slots it needs", flow.id if flow else "?",
                     step.id if step else "?")
        return False
    await _confirm(services, turn, kind, due_on, params)
    await flows.answer(turn, answer, force=True)
    return True


def _due(kind: str, slots: dict[str, Any], today: date) -> tuple[date | None, dict[str, Any]]:
    """The due day and the reminder's params, from the flow's answers."""
    try:
        if kind == "work_allowed":
            day = date.fromisoformat(str(slots["work_from"]))
            return day, {"work_from": day.isoformat()}
        weeks = int(slots["twv_decision_weeks"])
    except (KeyError, TypeError, ValueError):
        return None, {}
    return today + timedelta(weeks=weeks), {"weeks": weeks}


async def _confirm(
    services: Services, turn: Turn, kind: str, due_on: date, params: dict[str, Any]
) -> None:
    r = services.renderer
    when = format_value(due_on, turn.lang)
    if due_on <= turn.today:  # the day came while the question waited: nothing to remind
        turn.replies.append(await r.message(
            await r.ui("reminder.date_passed", turn.lang, date=when), turn.lang))
        return
    reminder = await schedule(
        turn.session, person_id=turn.person.id, kind=kind, due_on=due_on, language=turn.lang,
        timezone=services.settings.timezone, params=params)
    buttons = [Button(await r.ui_text("reminder.cancel", turn.lang),
                      f"{CANCEL_PREFIX}{reminder.id}")]
    turn.replies.append(await r.message(
        await r.ui("reminder.scheduled", turn.lang, date=when), turn.lang, buttons=buttons,
        meta={"reminder_id": reminder.id}))
    turn.meta["reminder"] = {"id": reminder.id, "kind": kind, "due_on": due_on.isoformat()}
