"""Counting how often someone does something, in memory (issue 15 items 2 and 4).

- `SlidingWindow`: at most `limit` hits per key in any `seconds`, bounded in memory.
- `ChatLimits`: the public chat's limits (settings.chat): messages per person and per network
  address, new coach requests per address. Each process counts on its own, so with N web
  processes an address can send up to N times as much; what must hold across processes and
  restarts (the coach requests of one person) is counted in the database (bot/handoff/desk.py).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import ChatSettings

MINUTE, HOUR = 60.0, 3600.0


class SlidingWindow:
    """At most `limit` hits per key in any `seconds`; the oldest keys are dropped past
    `max_keys`, so a scan from many addresses costs bounded memory."""

    def __init__(self, *, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.clock, self.max_keys = limit, seconds, clock, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._hits)

    def hit(self, key: str) -> float | None:
        """Count a hit for `key`: None when allowed, else the seconds until the next one is."""
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
        else:
            self._hits.move_to_end(key)
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(hits[0] + self.seconds - now, 1.0)
        hits.append(now)
        return None

    def blocked(self, key: str) -> bool:
        """Whether the next hit for `key` would be refused (without counting one)."""
        hits = self._hits.get(key)
        if not hits:
            return False
        now = self.clock()
        return sum(1 for at in hits if at > now - self.seconds) >= self.limit


class ChatLimits:
    """The limits of one process's chat (settings.chat)."""

    def __init__(self, settings: ChatSettings, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.messages = SlidingWindow(limit=settings.messages_per_minute, seconds=MINUTE,
                                      clock=clock)
        self.address_messages = SlidingWindow(
            limit=settings.messages_per_address_per_minute, seconds=MINUTE, clock=clock)
        self.address_coach_requests = SlidingWindow(
            limit=settings.coach_requests_per_address_per_hour, seconds=HOUR, clock=clock)
        # people told "please slow down" in this minute: told once, then their extra
        # messages get no answer until the minute is over
        self.told = SlidingWindow(limit=1, seconds=MINUTE, clock=clock)

    def message(self, person_key: str) -> float | None:
        """Count one message of a person: None when allowed, else seconds to wait."""
        return self.messages.hit(person_key)

    def address_message(self, address: str) -> float | None:
        return self.address_messages.hit(address)

    def first_refusal(self, person_key: str) -> bool:
        """Whether this refused message is the first of its minute (the one that is told)."""
        return self.told.hit(person_key) is None


def network_key(host: str | None) -> str:
    """The key a connection's address is counted under: an IPv4 address as it is, an IPv6
    address by its /64 (one household or phone gets a whole /64, so counting single IPv6
    addresses would let one device be a million visitors)."""
    import ipaddress

    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
