"""From OutgoingMessage to Telegram messages: escaping, links, buttons, splitting."""

from __future__ import annotations

import logging
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tg_checks import parse_html, utf16_len
from tg_harness import Harness

from bot.channels.telegram.formatting import (
    MAX_TEXT,
    Part,
    choice_html,
    is_grapheme_boundary,
    keyboard_rows,
    render,
    split_text,
)
from bot.channels.telegram.sender import TelegramSender
from bot.messages import Button, Link, OutgoingMessage


def reply(text: str, **kw: object) -> OutgoingMessage:
    return OutgoingMessage(text=text, language="en", **kw)  # type: ignore[arg-type]


def test_person_text_and_content_are_escaped() -> None:
    [part] = render(reply("You wrote: <b>5 < 6</b> & \"so\""))
    assert part.html == "You wrote: &lt;b&gt;5 &lt; 6&lt;/b&gt; &amp; \"so\""
    assert parse_html(part.html)[0] == "You wrote: <b>5 < 6</b> & \"so\""


def test_links_are_a_short_list_of_html_links_under_the_text() -> None:
    links = [Link("UWV – TWV", "https://uwv.nl/a?x=1&y=2"), Link('IND "info"', "https://ind.nl")]
    [part] = render(reply("Answer.", links=links))
    assert part.html == (
        "Answer.\n\n"
        '• <a href="https://uwv.nl/a?x=1&amp;y=2">UWV – TWV</a>\n'
        '• <a href="https://ind.nl">IND "info"</a>'
    )
    text, entities = parse_html(part.html)
    assert [e["url"] for e in entities] == ["https://uwv.nl/a?x=1&y=2", "https://ind.nl"]
    assert text.endswith('• IND "info"')


def test_buttons_short_labels_share_rows_long_ones_do_not() -> None:
    short = [Button(label, f"lang:{label}") for label in ("en", "nl", "ar", "ti")]
    assert [len(row) for row in keyboard_rows(short)] == [3, 1]
    long = [Button("Steps to a work permit with UWV", "flow:a"), Button("Find jobs", "flow:b")]
    assert [len(row) for row in keyboard_rows(long)] == [1, 1]


def test_a_payload_over_64_bytes_is_dropped_not_sent(caplog: pytest.LogCaptureFixture) -> None:
    buttons = [Button("ok", "answer:yes"), Button("too long", "answer:" + "é" * 30)]
    with caplog.at_level(logging.ERROR):
        rows = keyboard_rows(buttons)
    assert rows == ((("ok", "answer:yes"),),)
    assert "64" in caplog.text


def test_a_5000_character_reply_is_split_at_paragraphs_buttons_on_the_last() -> None:
    paragraphs = [f"Paragraph {i}. " + "word " * 97 for i in range(10)]  # ~500 each
    text = "\n\n".join(paragraphs)
    assert 4900 < len(text) < 5200
    parts = render(reply(text, buttons=[Button("Menu", "cmd:menu")]))
    assert len(parts) == 2
    assert all(utf16_len(parse_html(p.html)[0]) <= MAX_TEXT for p in parts)
    assert parts[0].html.rstrip().endswith(paragraphs[7].rstrip())  # cut between paragraphs
    assert parts[1].html.startswith("Paragraph 8.")
    assert parts[0].keyboard == () and parts[1].keyboard == ((("Menu", "cmd:menu"),),)


def test_one_huge_paragraph_is_split_at_lines_then_words() -> None:
    line = "line " * 30
    chunks = split_text("\n".join([line] * 60), 4096)
    assert len(chunks) == 3
    assert all(set(chunk.split("\n")) == {line} for chunk in chunks)  # whole lines only
    chunks = split_text("word " * 2000, 4096)
    assert len(chunks) == 3
    assert all(set(chunk.split()) == {"word"} for chunk in chunks)  # whole words only


@pytest.mark.parametrize("cluster", [
    "👨‍👩‍👧‍👦",  # a family: people joined by ZWJ
    "🇳🇱",  # a flag: two regional indicators
    "👍🏽",  # a skin-tone modifier
    "é",  # e + combining acute
    "بِ",  # an Arabic letter with its vowel mark
    "❤️",  # heart + variation selector
])
def test_a_hard_split_never_breaks_a_character(cluster: str) -> None:
    text = cluster * 3000
    chunks = split_text(text, 4096)
    assert "".join(chunks) == text
    for chunk in chunks:
        assert utf16_len(chunk) <= 4096
        assert chunk.startswith(cluster[0]) and len(chunk) % len(cluster) == 0


ALPHABET = st.sampled_from([
    "a", "b", " ", "\n", "\n\n", "é", "ሰላም", "مرحبا", "بِ", "👨‍👩‍👧", "🇳🇱🇧🇪", "👍🏽", "😀", "❤️",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=120), st.integers(min_value=8, max_value=60))
def test_split_keeps_every_character_and_every_limit(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    chunks = split_text(text, limit)
    assert all(1 <= utf16_len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
    position = 0
    for chunk in chunks:  # every cut is a cut the original allows
        position = text.index(chunk, position)
        assert is_grapheme_boundary(text, position)
        position += len(chunk)
        assert is_grapheme_boundary(text, position)


def test_no_chunk_starts_with_a_combining_mark() -> None:
    text = ("e\u0301" * 5000)
    for chunk in split_text(text, 4096):
        assert unicodedata.category(chunk[0]) != "Mn"


def test_the_chosen_answer_is_shown_under_the_question() -> None:
    assert choice_html("Are you <b>18</b>?", "Yes & no") == "Are you <b>18</b>?\n\n✓ Yes &amp; no"
    assert choice_html("x" * 4090, "Yes, I agree") is None  # too long: only the keyboard goes


async def test_a_5000_character_reply_reaches_telegram_in_valid_pieces(bot: Harness) -> None:
    """Over real HTTP: the fake refuses any piece over 4,096 characters or with bad HTML."""
    text = "\n\n".join(f"<{i}> " + "ሰላም word & more " * 40 for i in range(8))
    sender = TelegramSender(bot.service.application.bot)
    for part in render(reply(text, buttons=[Button("Menu", "cmd:menu")])):
        assert await sender.send(950, part) == "sent"
    shown = [m["text"] for (chat, _), m in sorted(bot.api.messages.items()) if chat == 950]
    assert len(shown) == 2
    assert "\n\n".join(shown) == text.strip()


def test_parts_survive_the_ledger_round_trip() -> None:
    part = Part("<b>x</b>", ((("Yes", "answer:yes"), ("No", "answer:no")),))
    assert Part.from_json(part.to_json()) == part
    assert part.plain == "x"


def test_fake_api_checks_html_like_telegram() -> None:
    for bad in ("<b>unclosed", "a & b", "<script>x</script>", "1 < 2", "<b><i>x</b></i>"):
        with pytest.raises(ValueError):
            parse_html(bad)
