"""Platform-neutral messages: every channel turns its input into IncomingMessage and renders
OutgoingMessage; the core never knows which channel a message came from.

Button payloads are short self-contained strings (at most 64 bytes, Telegram's callback-data
limit) so that a button still works after a restart:

    answer:<value>     an answer to the question being asked (choice, yes/no)
    intent:<name>      act as if the person had asked this intent
    flow:<flow_id>     start a flow
    cmd:<name>         a command, one of COMMANDS
    lang:<code>        choose a language
    original:<id>      show the coach's own words under a translated coach message
    remind:cancel:<id> cancel a pending reminder (bot/reminders/service.py)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

MessageKind = Literal["text", "button", "location", "command", "other"]

# Everything `cmd:<name>` may name; bot/dialogue/policy.py handles each of them.
COMMANDS = frozenset({
    "menu", "back", "stop", "cancel", "continue", "coach", "language", "employer",
    "privacy", "forget", "forget_yes", "forget_no", "consent", "decline", "coach_cancel",
    "glossary",
})


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply. Only its key is kept (bot/content/attachments.py makes the
    bytes again when the channel sends it), so nothing binary goes into the database."""

    kind: Literal["document"]
    name: str  # the file name the person sees, e.g. werkgever-twv.pdf
    key: str  # e.g. employer:nl


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a person sent: text, a button press, a location, or something else."""

    channel: str
    external_id: str
    kind: MessageKind = "text"
    text: str = ""
    payload: str | None = None
    location: tuple[float, float] | None = None
    lang_hint: str | None = None
    message_id: str | None = None
    other_type: str | None = None  # for kind == "other": "photo", "voice", "sticker", ...
    # where a web chat message came from (its network address, an IPv6 one cut to its /64),
    # for the limits of the public chat only: never stored or logged
    origin: str | None = None
    counted: bool = False  # the channel has counted it against settings.chat's limits


@dataclass(slots=True)
class OutgoingMessage:
    """One reply. `text` is already localised; `machine_translated` marks fallback text."""

    text: str
    language: str
    buttons: list[Button] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    machine_translated: bool = False
    meta: dict[str, Any] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()  # channels without files show `links` instead

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "buttons": [{"label": b.label, "payload": b.payload} for b in self.buttons],
            "links": [{"title": link.title, "url": link.url} for link in self.links],
            "machine_translated": self.machine_translated,
            **{k: v for k, v in self.meta.items() if k in ("flow", "step", "intent")},
        }
