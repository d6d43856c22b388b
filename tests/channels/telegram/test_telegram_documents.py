"""The employer's page reaches a Telegram chat as PDF documents (sendDocument, uploaded over
real HTTP to the fake Bot API) followed by the Dutch text, and survives the update ledger:
only the attachment's key is stored, the bytes are made again when sent."""

from __future__ import annotations

from typing import Any

from tg_harness import Harness, buttons, texts

from bot.channels.telegram.formatting import Part, render
from bot.content.attachments import employer_attachments
from bot.messages import Attachment, Button, OutgoingMessage
from tests.support.eligibility import TO_DATE


async def to_the_end_of_the_check(bot: Harness, chat_id: int) -> list[dict[str, Any]]:
    """Agree, do the may-I-work check, and stop at the "what now" buttons."""
    person = bot.user(chat_id, "en")
    await bot.say(person, "/start")
    await bot.press(person, "cmd:consent")
    await bot.say(person, "can I work?")
    for answer in TO_DATE:
        await bot.press(person, answer)
    await bot.say(person, "01-03-2026")
    replies = await bot.press(person, "answer:yes")
    if "answer:no_reminder" in buttons(replies[-1]):  # a reminder is offered first
        replies = await bot.press(person, "answer:no_reminder")
    assert "cmd:employer" in buttons(replies[-1]), texts(replies)
    return replies


async def test_the_employer_page_arrives_as_pdf_documents_and_text(bot: Harness) -> None:
    await to_the_end_of_the_check(bot, 601)
    since = len(bot.api.calls)
    documents_before = len(bot.api.documents)
    replies = await bot.press(bot.user(601, "en"), "cmd:employer")

    sent = [c.method for c in bot.api.calls[since:] if c.method.startswith("send")]
    assert sent == ["sendMessage", "sendDocument", "sendDocument", "sendMessage"]
    documents = bot.api.documents[documents_before:]
    assert [d.filename for d in documents] == ["werkgever-twv.pdf", "employer-twv.pdf"]
    for document in documents:
        assert document.chat_id == 601
        assert document.data.startswith(b"%PDF-") and document.data.rstrip().endswith(b"%%EOF")
        assert len(document.data) > 1000
    text = texts(replies)
    assert "tewerkstellingsvergunning" in text and "UWV" in text
    assert buttons(replies[-1]) == ["cmd:menu"]  # the keyboard stays on the last message


async def test_a_refused_document_does_not_cost_the_text(bot: Harness) -> None:
    await to_the_end_of_the_check(bot, 602)
    bot.api.fail("sendDocument", 400, "Bad Request: file is too big", times=2)
    since = len(bot.api.calls)
    replies = await bot.press(bot.user(602, "en"), "cmd:employer")
    assert [c.status for c in bot.api.calls[since:] if c.method == "sendDocument"] == [400, 400]
    assert "tewerkstellingsvergunning" in texts(replies)
    assert (await bot.person(602)) is not None and (await bot.person(602)).active


def test_document_parts_come_first_and_keep_only_the_key() -> None:
    reply = OutgoingMessage("Hallo werkgever", "nl", buttons=[Button("Menu", "cmd:menu")],
                            attachments=employer_attachments())
    parts = render(reply)
    assert [p.document for p in parts] == ["employer:nl", "employer:en", None]
    assert parts[-1].keyboard == ((("Menu", "cmd:menu"),),)
    assert parts[0].document_name == "werkgever-twv.pdf" and not parts[0].keyboard
    for part in parts:  # as the update ledger stores them
        assert Part.from_json(part.to_json()) == part
    assert "document" not in parts[-1].to_json()
    # a part stored before documents existed still reads
    assert Part.from_json({"html": "x", "keyboard": []}) == Part("x")
    assert render(OutgoingMessage("x", "en", attachments=(
        Attachment("document", "a.pdf", "employer:nl"),)))[0].html == "a.pdf"
