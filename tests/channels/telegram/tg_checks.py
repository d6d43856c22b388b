"""What the fake Bot API accepts: each method's parameters, checked like Telegram checks them.

A call that Telegram would refuse (a missing chat_id, text over 4,096 characters, callback
data over 64 bytes, HTML with an unknown or unclosed tag, a bare `&`) is a *violation*: the
fake answers 400 and the test fails at teardown, naming the call.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], str | None]

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
ENTITY_TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
                "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
                "del": "strikethrough", "code": "code", "pre": "pre", "tg-spoiler": "spoiler",
                "blockquote": "blockquote"}
_TAG = re.compile(r"<[^<>]*>")
_TAG_SHAPE = re.compile(r'^<(/?)([a-z-]+)((?:\s+[a-z-]+="[^"]*")*)\s*>$')
_BARE_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(raw: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML mode: the visible text and its entities; ValueError when refused."""
    if _BARE_AMP.search(raw):
        raise ValueError("a bare & (write &amp;)")
    if re.search(r"[<>]", _TAG.sub("", raw)):
        raise ValueError("a < or > that is not part of a tag (write &lt; / &gt;)")
    text, entities, stack = "", [], []
    position = 0
    for match in _TAG.finditer(raw):
        text += html.unescape(raw[position:match.start()])
        position = match.end()
        shape = _TAG_SHAPE.match(match.group(0))
        if shape is None or shape.group(2) not in ALLOWED_TAGS:
            raise ValueError(f"unsupported tag {match.group(0)!r}")
        closing, name, attrs = shape.group(1), shape.group(2), shape.group(3)
        if not closing:
            stack.append((name, utf16_len(text), dict(re.findall(r'([a-z-]+)="([^"]*)"', attrs))))
            continue
        if not stack or stack[-1][0] != name:
            raise ValueError(f"unbalanced closing tag </{name}>")
        _, start, attributes = stack.pop()
        length = utf16_len(text) - start
        if name == "a":
            if "href" not in attributes:
                raise ValueError("<a> without href")
            entities.append({"type": "text_link", "offset": start, "length": length,
                             "url": html.unescape(attributes["href"])})
        elif name in ENTITY_TYPES and length:
            entities.append({"type": ENTITY_TYPES[name], "offset": start, "length": length})
    text += html.unescape(raw[position:])
    if stack:
        raise ValueError(f"unclosed tag <{stack[-1][0]}>")
    return text, sorted(entities, key=lambda e: e["offset"])


# -- value checks ----------------------------------------------------------------------------


def integer(value: Any) -> str | None:
    try:
        int(value)
    except (TypeError, ValueError):
        return f"{value!r} is not an integer"
    return None


def boolean(value: Any) -> str | None:
    return None if value in (True, False, "true", "false", "True", "False") else "not a boolean"


def string(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "not a non-empty string"


def json_value(kind: type) -> Check:
    def check(value: Any) -> str | None:
        return None if isinstance(value, kind) else f"not a JSON {kind.__name__}"

    return check


def one_of(*allowed: str) -> Check:
    return lambda value: None if value in allowed else f"{value!r} not in {allowed}"


def message_text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "empty text"
    return None


def inline_keyboard(value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != {"inline_keyboard"}:
        return "reply_markup must be {'inline_keyboard': [...]}"
    rows = value["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) and r for r in rows):
        return "inline_keyboard must be a list of non-empty rows"
    buttons = [b for row in rows for b in row]
    if len(buttons) > 100:
        return "more than 100 buttons"
    for button in buttons:
        if not isinstance(button.get("text"), str) or not button["text"].strip():
            return f"button without text: {button}"
        actions = set(button) - {"text"}
        if actions not in ({"callback_data"}, {"url"}):
            return f"a button needs exactly one of callback_data/url: {button}"
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            return f"callback_data of {len(str(data).encode('utf-8'))} bytes (1-64 allowed)"
    return None


def bot_commands(value: Any) -> str | None:
    if not isinstance(value, list) or not 1 <= len(value) <= 100:
        return "commands must be a list of 1-100"
    for command in value:
        if not _COMMAND.match(str(command.get("command", ""))):
            return f"bad command name {command.get('command')!r}"
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            return f"bad description for /{command.get('command')}"
    return None


def language_code(value: Any) -> str | None:
    return None if value == "" or re.fullmatch(r"[a-z]{2}", str(value)) else "not ISO 639-1"


def webhook_url(value: Any) -> str | None:
    return None if isinstance(value, str) and value.startswith("https://") else "not https"


def secret_token(value: Any) -> str | None:
    return None if _SECRET.match(str(value)) else "bad secret_token"


# method -> (required, optional) parameter checks
METHODS: dict[str, tuple[dict[str, Check], dict[str, Check]]] = {
    "getMe": ({}, {}),
    "getUpdates": ({}, {"offset": integer, "limit": integer, "timeout": integer,
                        "allowed_updates": json_value(list)}),
    "deleteWebhook": ({}, {"drop_pending_updates": boolean}),
    "setWebhook": ({"url": webhook_url}, {
        "secret_token": secret_token, "allowed_updates": json_value(list),
        "max_connections": integer, "drop_pending_updates": boolean}),
    "setMyCommands": ({"commands": bot_commands}, {
        "scope": json_value(dict), "language_code": language_code}),
    "sendMessage": ({"chat_id": integer, "text": message_text}, {
        "parse_mode": one_of("HTML"), "reply_markup": inline_keyboard,
        "link_preview_options": json_value(dict), "message_thread_id": integer,
        "reply_parameters": json_value(dict)}),
    "createForumTopic": ({"chat_id": integer, "name": string}, {}),
    "deleteForumTopic": ({"chat_id": integer, "message_thread_id": integer}, {}),
    "copyMessage": ({"chat_id": integer, "from_chat_id": integer, "message_id": integer}, {
        "message_thread_id": integer}),
    "editMessageText": ({"chat_id": integer, "message_id": integer, "text": message_text}, {
        "parse_mode": one_of("HTML"), "reply_markup": inline_keyboard,
        "link_preview_options": json_value(dict)}),
    "editMessageReplyMarkup": ({"chat_id": integer, "message_id": integer}, {
        "reply_markup": inline_keyboard}),
    "answerCallbackQuery": ({"callback_query_id": string}, {
        "text": string, "show_alert": boolean}),
}


def check_call(method: str, params: dict[str, Any]) -> list[str]:
    """Everything Telegram would refuse about this call's parameters (not its content)."""
    if method not in METHODS:
        return [f"unexpected method {method}"]
    required, optional = METHODS[method]
    problems = [f"{method}: missing {name}" for name in required if name not in params]
    for name, value in params.items():
        check = required.get(name) or optional.get(name)
        if check is None:
            problems.append(f"{method}: unexpected parameter {name}={value!r}")
        elif (problem := check(value)) is not None:
            problems.append(f"{method}: {name}: {problem}")
    return problems


def decode_params(form: dict[str, str]) -> dict[str, Any]:
    """PTB sends form fields; nested objects arrive JSON-encoded."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str) and value[:1] in "[{":
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params
