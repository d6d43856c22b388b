"""Turning an OutgoingMessage into Telegram messages: escaped HTML, links, buttons, splitting.

Telegram takes at most 4,096 characters per message (counted after the HTML is parsed, in
UTF-16 code units) and at most 64 bytes of callback data per button. A long reply is split at
paragraph breaks, then line breaks, then spaces, and only as a last resort inside a word, and
never inside a character made of several code points (emoji sequences, combining marks).
Right-to-left text needs no markup: Telegram's clients lay out each message by its content.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.messages import Button, Link, OutgoingMessage

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
CHOICE_MARK = "✓"
_TAG = re.compile(r"<[^>]+>")
_ZWJ = "\u200d"


@dataclass(frozen=True, slots=True)
class Part:
    """One Telegram message: HTML text and rows of (label, callback data) buttons; or, with
    `document` (an attachment key, bot/content/attachments.py), a file named `document_name`
    whose bytes the channel makes when it sends it (`html` is then only the fallback text)."""

    html: str
    keyboard: tuple[tuple[tuple[str, str], ...], ...] = ()
    document: str | None = None
    document_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "html": self.html, "keyboard": [[list(b) for b in row] for row in self.keyboard]}
        if self.document is not None:
            data |= {"document": self.document, "document_name": self.document_name}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        keyboard = tuple(tuple((str(b[0]), str(b[1])) for b in row) for row in data["keyboard"])
        document, name = data.get("document"), data.get("document_name")
        return cls(html=str(data["html"]), keyboard=keyboard,
                   document=str(document) if document is not None else None,
                   document_name=str(name) if name is not None else None)

    @property
    def plain(self) -> str:
        """The text without markup: what is shown if Telegram refuses the HTML."""
        return html.unescape(_TAG.sub("", self.html))


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def render(reply: OutgoingMessage) -> list[Part]:
    """The Telegram messages for one reply: its documents first, then the text; the buttons
    go on the last one."""
    documents = [Part(html.escape(a.name, quote=False), document=a.key, document_name=a.name)
                 for a in reply.attachments if a.kind == "document"]
    return documents + _text_parts(reply)


def _text_parts(reply: OutgoingMessage) -> list[Part]:
    chunks = split_text(reply.text.strip(), MAX_TEXT) or ["…"]
    parts = [html.escape(chunk, quote=False) for chunk in chunks]
    if reply.links:
        links_html, links_plain = _links(reply.links)
        if utf16_len(chunks[-1]) + 2 + utf16_len(links_plain) <= MAX_TEXT:
            parts[-1] = f"{parts[-1]}\n\n{links_html}"
        else:
            parts.append(links_html)
    keyboard = keyboard_rows(reply.buttons)
    return [Part(text) for text in parts[:-1]] + [Part(parts[-1], keyboard)]


def _links(links: list[Link]) -> tuple[str, str]:
    """A short list of links, as HTML and as the text the person sees."""
    shown = links[:8]  # more than a handful of links is noise on a phone
    html_lines = [
        f'• <a href="{html.escape(link.url, quote=True)}">{html.escape(link.title, quote=False)}'
        "</a>"
        for link in shown
    ]
    plain_lines = [f"• {link.title}" for link in shown]
    return "\n".join(html_lines), "\n".join(plain_lines)


def keyboard_rows(buttons: list[Button]) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Buttons in rows: short labels share a row, long ones get their own."""
    usable = []
    for button in buttons:
        if not 1 <= len(button.payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
            logger.error("button payload of %d bytes dropped (Telegram allows 1-64)",
                         len(button.payload.encode("utf-8")))
            continue
        usable.append((button.label.strip()[:64] or button.payload, button.payload))
    longest = max((len(label) for label, _ in usable), default=0)
    per_row = 3 if longest <= 12 else 2 if longest <= 22 else 1
    return tuple(tuple(usable[i:i + per_row]) for i in range(0, len(usable), per_row))


def choice_html(question_html: str, label: str) -> str | None:
    """The question message with the chosen answer under it, or None when that is too long."""
    text = f"{question_html}\n\n{CHOICE_MARK} {html.escape(label, quote=False)}"
    visible = html.unescape(_TAG.sub("", text))
    return text if utf16_len(visible) <= MAX_TEXT else None


# -- splitting -------------------------------------------------------------------------------


def split_text(text: str, limit: int) -> list[str]:
    """Split into chunks of at most `limit` UTF-16 units: paragraphs, lines, words, then hard."""
    if utf16_len(text) <= limit:
        return [text] if text.strip() else []
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit)
    return _hard_split(text, limit)


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current)
        if utf16_len(piece) <= limit:
            current = piece
        else:
            *done, current = split_text(piece, limit) or [""]
            chunks.extend(done)
    if current.strip():
        chunks.append(current)
    return [chunk.strip("\n") for chunk in chunks if chunk.strip()]


def _hard_split(text: str, limit: int) -> list[str]:
    chunks = []
    while utf16_len(text) > limit:
        cut = _cut_index(text, limit)
        chunks.append(text[:cut])
        text = text[cut:]
    if text:
        chunks.append(text)
    return chunks


def _cut_index(text: str, limit: int) -> int:
    """The largest index whose prefix fits in `limit` units and ends on a grapheme boundary."""
    units, index = 0, 0
    for index, char in enumerate(text):  # noqa: B007 - index is used after the loop
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
    cut = index
    while cut > 0 and not is_grapheme_boundary(text, cut):
        cut -= 1
    return cut or index or 1  # one giant cluster: cut it rather than loop forever


def is_grapheme_boundary(text: str, index: int) -> bool:
    """An approximation of Unicode's extended grapheme cluster rules (UAX #29) good enough
    for chat text: combining marks, joiners, variation selectors, emoji modifiers and tags,
    regional-indicator pairs (flags) and CR LF stay together."""
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before == "\r" and after == "\n":
        return False
    if after == _ZWJ or before == _ZWJ:
        return False
    if unicodedata.category(after) in ("Mn", "Mc", "Me"):
        return False
    code = ord(after)
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F or 0xFE00 <= code <= 0xFE0F:
        return False
    if _regional(before) and _regional(after):
        run = 0
        i = index - 1
        while i >= 0 and _regional(text[i]):
            run += 1
            i -= 1
        return run % 2 == 0
    return True


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
