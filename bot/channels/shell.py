"""Terminal chat: interactive at a terminal, line by line when stdin is piped.

`--json` prints one JSON object per bot reply: text, buttons, flow, step, intent, language.
A button can be pressed by typing its number (`1`) or its payload (`cmd:menu`).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TextIO

from bot.messages import IncomingMessage, OutgoingMessage
from bot.settings import Settings

PAYLOAD_PREFIXES = ("answer:", "intent:", "flow:", "cmd:", "lang:")


def to_incoming(
    line: str, *, user: str, lang: str | None, last: list[OutgoingMessage]
) -> IncomingMessage:
    """A typed line becomes text, or a button press when it is a payload or a button number."""
    stripped = line.strip()
    if stripped.startswith(PAYLOAD_PREFIXES):
        return IncomingMessage(channel="shell", external_id=user, kind="button",
                               payload=stripped, lang_hint=lang)
    buttons = [b for reply in last for b in reply.buttons]
    if stripped.isdigit() and buttons and 1 <= int(stripped) <= len(buttons):
        button = buttons[int(stripped) - 1]
        return IncomingMessage(channel="shell", external_id=user, kind="button",
                               payload=button.payload, text=button.label, lang_hint=lang)
    return IncomingMessage(channel="shell", external_id=user, text=line.rstrip("\n"),
                           lang_hint=lang)


def render_plain(reply: OutgoingMessage, first_number: int) -> str:
    lines = [f"bot> {reply.text}"]
    for i, button in enumerate(reply.buttons, start=first_number):
        lines.append(f"  [{i}] {button.label}")
    lines.extend(f"  ↗ {link.title}: {link.url}" for link in reply.links)
    return "\n".join(lines)


def render_json(reply: OutgoingMessage) -> str:
    data = reply.to_dict()
    data.setdefault("flow", None)
    data.setdefault("step", None)
    data.setdefault("intent", None)
    return json.dumps(data, ensure_ascii=False)


async def run_shell(
    settings: Settings, *, user: str, lang: str | None, as_json: bool,
    stdin: TextIO | None = None, stdout: TextIO | None = None,
) -> int:
    from bot.app import build_services
    from bot.dialogue.manager import Dialogue

    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    services = await build_services(settings)
    dialogue = Dialogue(services)
    interactive = stdin.isatty() and not as_json
    if interactive:
        print("Werkpad shell. Type a message; a number presses a button; Ctrl-D ends.",
              file=stdout)
    last: list[OutgoingMessage] = []
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            print("you> ", end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        replies = await dialogue.handle(to_incoming(line, user=user, lang=lang, last=last))
        number = 1
        for reply in replies:
            if as_json:
                print(render_json(reply), file=stdout, flush=True)
            else:
                print(render_plain(reply, number), file=stdout, flush=True)
                number += len(reply.buttons)
        last = replies
    await services.engine.dispose()
    return 0
