"""Console accounts: password hashes, sign-in with lock-out, server-side sessions, audit rows.

Keyword-only async functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import utcnow
from bot.web.models import ROLES, AuditEvent, ConsoleSession, User

SESSION_LIFETIME = timedelta(hours=12)
SEEN_EVERY = timedelta(minutes=1)  # how often a session's last visit is written
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown or the account waiting, so those cost as long
# as a wrong password and the timing does not tell them apart.
DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    telegram_id: int | None = None,
    languages: list[str] | None = None,
    regions: list[str] | None = None,
    teams: list[str] | None = None,
) -> User:
    """Add a console user; AccountError for a bad role, address, password or a duplicate."""
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise AccountError("give a valid e-mail address")
    if not name.strip():
        raise AccountError("give a name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"there is already a user {email}")
    user = User(
        email=email, name=name.strip(), role=role, password_hash=hash_password(password),
        active=True, failed_logins=0, telegram_id=telegram_id,
        languages=",".join(languages) if languages else None,
        regions=",".join(regions) if regions else None,
        teams=",".join(teams) if teams else None,
    )
    session.add(user)
    await session.flush()
    return user


async def reserve_attempt(
    session: AsyncSession, *, user_id: int, now: datetime | None = None
) -> bool:
    """Count a sign-in attempt as failed before its password is checked; False when the
    account is waiting (bot/web/login_guard.throttle_delay) and the password must not be
    checked at all. One conditional UPDATE takes the count, so concurrent guesses cannot all
    read the same number (on PostgreSQL the row lock makes the later ones re-check the
    wait); `settle_attempt` gives the count back when the password was right."""
    from bot.web.login_guard import throttle_delay

    now = now or utcnow()
    failures = await session.scalar(
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    )
    if failures is None:
        return False
    delay = throttle_delay(failures)
    if delay is not None:
        await session.execute(
            update(User).where(User.id == user_id).values(locked_until=now + delay))
    return True


async def settle_attempt(
    session: AsyncSession, *, user: User, counted: bool, now: datetime | None = None
) -> None:
    """A right password: the account's failures start again from nothing (when the attempt
    was `counted` by reserve_attempt) and its last sign-in is noted."""
    now = now or utcnow()
    values: dict[str, Any] = {"last_login": now}
    if counted:
        values |= {"failed_logins": 0, "locked_until": None}
    await session.execute(update(User).where(User.id == user.id).values(**values))


async def find_user(session: AsyncSession, *, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


async def start_session(
    session: AsyncSession, *, user: User, now: datetime | None = None
) -> tuple[str, ConsoleSession]:
    """A new session for `user`: returns the cookie token (only its hash is stored)."""
    now = now or utcnow()
    await session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    row = ConsoleSession(
        token_hash=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
        created_at=now, last_seen_at=now, expires_at=now + SESSION_LIFETIME,
    )
    session.add(row)
    await session.flush()
    return token, row


async def load_session(
    session: AsyncSession, *, token: str, idle: timedelta | None = None,
    now: datetime | None = None,
) -> tuple[ConsoleSession, User] | None:
    """The live session and its (active) user for a cookie token, else None. A session not
    used for `idle` has ended (and is deleted); a visit is written at most once a minute."""
    now = now or utcnow()
    row = await session.get(ConsoleSession, token_hash(token))
    if row is None or row.expires_at <= now:
        return None
    seen = row.last_seen_at or row.created_at
    if idle is not None and seen + idle <= now:
        await session.delete(row)
        return None
    user = await session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - seen >= SEEN_EVERY:
        row.last_seen_at = now
    return row, user


async def end_session(session: AsyncSession, *, token: str) -> None:
    await session.execute(
        delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash(token))
    )


async def audit(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    user_id: int | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        user_id=user_id, actor=actor, action=action, target=target, detail=detail or {},
        at=utcnow(),
    )
    session.add(event)
    return event


# -- managing accounts from the console (bot/web/routes_users.py) ---------------------------


async def list_users(session: AsyncSession) -> list[User]:
    """Every console user, admins first, then by name."""
    rows = await session.scalars(select(User).order_by(User.role, User.name, User.id))
    return list(rows)


async def end_user_sessions(session: AsyncSession, *, user_id: int) -> None:
    """Sign a user out everywhere (after a deactivation or a password reset)."""
    await session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


async def set_active(session: AsyncSession, *, user: User, active: bool) -> None:
    """Deactivate (sign-in refused, sessions ended) or reactivate a user."""
    user.active = active
    if not active:
        await end_user_sessions(session, user_id=user.id)


async def set_password(
    session: AsyncSession, *, user: User, password: str, password_hash: str | None = None
) -> None:
    """A new password chosen by an admin: AccountError when too short. Ends the user's
    sessions and lifts a lock-out, so the new password works at once. `password_hash`: the
    password already hashed off the event loop (else it is hashed here)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = password_hash or hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    await end_user_sessions(session, user_id=user.id)


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def unlock(user: User) -> None:
    """Lift a lock-out after too many failed sign-ins."""
    user.failed_logins, user.locked_until = 0, None


def update_profile(
    user: User,
    *,
    name: str,
    role: str,
    telegram_id: int | None,
    languages: list[str] | None,
    regions: list[str] | None,
    teams: list[str] | None = None,
) -> None:
    """Change name, role and the coach fields; AccountError for an empty name or a bad role."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not name.strip():
        raise AccountError("give a name")
    user.name, user.role, user.telegram_id = name.strip(), role, telegram_id
    user.languages = ",".join(languages) if languages else None
    user.regions = ",".join(regions) if regions else None
    user.teams = ",".join(teams) if teams else None
