"""Console accounts: password hashes, sign-in with lock-out, server-side sessions, audit rows.

Keyword-only async functions; the caller owns the session and the transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import utcnow
from bot.web.models import ROLES, AuditEvent, ConsoleSession, User

MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong
# password and the timing does not tell which addresses exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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


@dataclass(frozen=True)
class SignIn:
    user: User | None  # set when the password was right and the account open
    locked_until: datetime | None = None  # set when the account is locked


async def authenticate(
    session: AsyncSession, *, email: str, password: str, now: datetime | None = None
) -> SignIn:
    """Check a password. The 5th wrong one in a row locks the account for 15 minutes; while
    locked even the right password is refused."""
    now = now or utcnow()
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return SignIn(None)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, user.locked_until)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCK_DURATION, 0
            return SignIn(None, user.locked_until)
        return SignIn(None)
    user.failed_logins, user.locked_until, user.last_login = 0, None, now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignIn(user)


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
        created_at=now, expires_at=now + SESSION_LIFETIME,
    )
    session.add(row)
    await session.flush()
    return token, row


async def load_session(
    session: AsyncSession, *, token: str, now: datetime | None = None
) -> tuple[ConsoleSession, User] | None:
    """The live session and its (active) user for a cookie token, else None."""
    now = now or utcnow()
    row = await session.get(ConsoleSession, token_hash(token))
    if row is None or row.expires_at <= now:
        return None
    user = await session.get(User, row.user_id)
    if user is None or not user.active:
        return None
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


async def set_password(session: AsyncSession, *, user: User, password: str) -> None:
    """A new password chosen by an admin: AccountError when too short. Ends the user's
    sessions and lifts a lock-out, so the new password works at once."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
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
