"""A dialog helper: feed messages through the real Dialogue and read the replies in order.

    chat = Chat(dialogue)
    await chat.agree()
    replies = await chat.say("can I work?")
    chat.expect("When did you apply")
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.dialogue.manager import Dialogue
from bot.messages import IncomingMessage, OutgoingMessage


@dataclass
class Chat:
    dialogue: Dialogue
    user: str = "person-0001"
    channel: str = "web"
    lang: str | None = None
    last: list[OutgoingMessage] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    async def send(self, message: IncomingMessage) -> list[OutgoingMessage]:
        self.transcript.append(("you", message.text or message.payload or message.kind))
        self.last = await self.dialogue.handle(message)
        self.transcript.extend(("bot", reply.text) for reply in self.last)
        return self.last

    async def say(self, text: str) -> list[OutgoingMessage]:
        return await self.send(IncomingMessage(
            channel=self.channel, external_id=self.user, text=text, lang_hint=self.lang))

    async def press(self, label_or_payload: str) -> list[OutgoingMessage]:
        """Press a button of the last replies, by its label (case-insensitive) or payload."""
        wanted = label_or_payload.casefold()
        for reply in reversed(self.last):
            for button in reply.buttons:
                if wanted in (button.label.casefold(), button.payload.casefold()):
                    return await self.send(IncomingMessage(
                        channel=self.channel, external_id=self.user, kind="button",
                        payload=button.payload, text=button.label, lang_hint=self.lang))
        shown = [(b.label, b.payload) for r in self.last for b in r.buttons]
        raise AssertionError(f"no button {label_or_payload!r} among {shown}")

    async def payload(self, payload: str) -> list[OutgoingMessage]:
        return await self.send(IncomingMessage(
            channel=self.channel, external_id=self.user, kind="button", payload=payload,
            lang_hint=self.lang))

    async def other(self, other_type: str) -> list[OutgoingMessage]:
        return await self.send(IncomingMessage(
            channel=self.channel, external_id=self.user, kind="other", other_type=other_type,
            lang_hint=self.lang))

    async def agree(self) -> list[OutgoingMessage]:
        await self.say("hello")
        return await self.payload("cmd:consent")

    @property
    def text(self) -> str:
        """All text of the last replies, joined."""
        return "\n".join(reply.text for reply in self.last)

    @property
    def buttons(self) -> list[str]:
        return [b.payload for reply in self.last for b in reply.buttons]

    def expect(self, *fragments: str) -> None:
        """Every fragment appears (case-insensitive) in the last replies, in this order."""
        haystack = self.text.casefold()
        position = 0
        for fragment in fragments:
            found = haystack.find(fragment.casefold(), position)
            if found < 0:
                raise AssertionError(
                    f"expected {fragment!r} in the bot's reply; the last replies were:\n"
                    + "\n---\n".join(reply.text for reply in self.last)
                )
            position = found + len(fragment)

    def expect_not(self, fragment: str) -> None:
        assert fragment.casefold() not in self.text.casefold(), self.text
