"""What keeps the sign-in form from being used against the console (issue 15 item 2).

- `Verifier`: argon2 runs in worker threads, at most `threads` at once and `queue` waiting,
  so a flood of guesses never blocks the event loop (one argon2 check is ~50 ms of CPU) and
  cannot pile up without bound: past the queue a guess is refused at once (`Busy`).
- `SlidingWindow`: attempts per key (a connection's address, a trusted browser) in a time
  window, in memory, per process. With several processes each has its own count; the
  account's own counter (accounts.reserve_attempt) is in the database and shared.
- `throttle_delay`: the account's wait after repeated failures, growing from the fifth.
- Device cookies: after a successful sign-in the browser gets a signed cookie naming the
  account. A sign-in from that browser skips the account's wait (an attacker who guesses at
  the account cannot keep its coach out) and is limited per browser instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bot.ratelimit import SlidingWindow
from bot.web import accounts

FIRST_DELAYED_FAILURE = 5
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(minutes=15)
DEVICE_COOKIE = "werkpad_device"
DEVICE_LIFETIME = timedelta(days=180)
SLOW_DOWN_SECONDS = 1.0
MAX_SLOWED = 1000


def throttle_delay(failures: int) -> timedelta | None:
    """How long an account waits after `failures` failed sign-ins in a row: nothing for the
    first four, then 30 s, doubling with each further failure, at most 15 minutes."""
    if failures < FIRST_DELAYED_FAILURE:
        return None
    doublings = min(failures - FIRST_DELAYED_FAILURE, 10)
    return min(FIRST_DELAY * 2**doublings, MAX_DELAY)


class Busy(Exception):
    """Too many password checks are waiting; the caller should answer 'try again soon'."""


class Verifier:
    """Password hashing and checking in a bounded worker pool, off the event loop."""

    def __init__(self, *, threads: int, queue: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="argon2")
        self._limit = threads + queue
        self._pending = 0
        self._lock = threading.Lock()

    @staticmethod
    def check(password_hash: str, password: str) -> bool:
        return accounts.verify_password(password_hash, password)

    async def _run(self, func: Callable[..., object], *args: str) -> object:
        with self._lock:
            if self._pending >= self._limit:
                raise Busy()
            self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, func, *args)
        finally:
            with self._lock:
                self._pending -= 1

    async def verify(self, password_hash: str, password: str) -> bool:
        """True when `password` matches; Busy when the pool and its queue are full."""
        return bool(await self._run(self.check, password_hash, password))

    async def verify_dummy(self, password: str) -> None:
        """Spend what a real check costs, so an unknown or waiting account answers as slowly
        as a wrong password and the timing does not tell them apart."""
        await self._run(self.check, accounts.DUMMY_HASH, password)

    async def hash(self, password: str) -> str:
        return str(await self._run(accounts.hash_password, password))

    async def needs_rehash(self, password_hash: str, password: str) -> str | None:
        """A new hash when the stored one uses old parameters, else None."""
        if not accounts.needs_rehash(password_hash):
            return None
        return await self.hash(password)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _device_mac(secret_key: str, user_id: int, nonce: str) -> str:
    message = f"device:{user_id}:{nonce}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def device_cookie(secret_key: str, user_id: int) -> str:
    """A new device cookie value for a browser that just signed in as `user_id`."""
    nonce = secrets.token_urlsafe(16)
    return f"{user_id}.{nonce}.{_device_mac(secret_key, user_id, nonce)}"


def trusted_device(secret_key: str, value: str | None, user_id: int) -> str | None:
    """The device's nonce when `value` is a genuine device cookie for `user_id`, else None."""
    if not value or len(value) > 200:
        return None
    parts = value.split(".")
    if len(parts) != 3 or parts[0] != str(user_id):
        return None
    nonce, mac = parts[1], parts[2]
    if not hmac.compare_digest(mac, _device_mac(secret_key, user_id, nonce)):
        return None
    return nonce


class LoginGuard:
    """The limits of one web app (one process), built from settings.console."""

    def __init__(self, *, attempts_per_ip: int, window_minutes: int, checks_at_once: int,
                 checks_waiting: int) -> None:
        self.verifier = Verifier(threads=checks_at_once, queue=checks_waiting)
        self.per_ip = SlidingWindow(limit=attempts_per_ip, seconds=window_minutes * 60)
        # failures from one trusted browser: as many as an account gets before it waits
        self.device_failures = SlidingWindow(limit=FIRST_DELAYED_FAILURE,
                                             seconds=MAX_DELAY.total_seconds())
        self._slowed = 0

    async def slow_down(self) -> None:
        """Hold a refused attempt's answer for a second (costs a sleeping task, no CPU), so a
        guesser that waits for each answer makes one attempt a second per connection. Past
        MAX_SLOWED held at once the answers go out at once: memory stays bounded."""
        if self._slowed >= MAX_SLOWED:
            return
        self._slowed += 1
        try:
            await asyncio.sleep(SLOW_DOWN_SECONDS)
        finally:
            self._slowed -= 1
