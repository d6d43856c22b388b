"""Who may see and act on which ticket: coaches see only what is handed to them.

A ticket belongs to a team (`Ticket.team`, chosen from the person's region when they asked).
A coach is in the teams listed on their account (`User.teams`); a coach with none listed is
in the first configured team, as every coach was before teams existed. Then:

- an admin sees every ticket (`handoff.admins_see_all`, on by default);
- a coach sees a ticket they hold or held (claimed, or closed while theirs: they may read their
  own conversation back), and the open tickets (waiting, claimed, released) of their teams;
- nothing else: another team's tickets and closed tickets someone else handled are "not
  found" to them, in the queue, the ticket page, its frame and every action;
- claiming needs a ticket one may see (the claim itself only takes a waiting or released
  one); writing to the person and handing back need the ticket to be one's own
  (bot/handoff/coaches.py).

The Telegram coaches' group is one room: everyone in it sees every topic posted there. A
deployment with teams that must not see each other's people uses the web console, or gives
each team its own group (docs/handoff.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, false, or_, true

from bot.handoff.models import OPEN, Ticket

if TYPE_CHECKING:
    from bot.settings import HandoffSettings
    from bot.web.models import User


def teams_of(user: User, handoff: HandoffSettings) -> frozenset[str]:
    """The configured teams the user is in (none listed: the first team)."""
    known = [team.name for team in handoff.teams]
    listed = {name.strip() for name in (user.teams or "").split(",") if name.strip()}
    return frozenset(name for name in known if name in listed) or frozenset(known[:1])


def sees_all(user: User, handoff: HandoffSettings) -> bool:
    return user.role == "admin" and handoff.admins_see_all


def may_see(user: User, ticket: Ticket, handoff: HandoffSettings) -> bool:
    if not user.active:
        return False
    if sees_all(user, handoff) or ticket.coach_id == user.id:
        return True
    return ticket.status in OPEN and ticket.team in teams_of(user, handoff)


def visible(user: User, handoff: HandoffSettings) -> ColumnElement[bool]:
    """`may_see` as a WHERE clause, for the queue."""
    if not user.active:
        return false()
    if sees_all(user, handoff):
        return true()
    return or_(Ticket.coach_id == user.id,
               and_(Ticket.status.in_(OPEN), Ticket.team.in_(sorted(teams_of(user, handoff)))))
