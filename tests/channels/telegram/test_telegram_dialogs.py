"""Conversations through the fake Bot API in English, Arabic and Tigrinya.

Buttons are pressed by payload where the label depends on translations that may change.
"""

from __future__ import annotations

from tg_harness import Harness, buttons, texts

from tests.support.eligibility import TO_DATE


async def test_english_consent_question_and_the_may_i_work_check(bot: Harness) -> None:
    ana = bot.user(501, "en")
    [consent] = await bot.say(ana, "/start")
    assert "Do you agree?" in consent["text"]
    assert buttons(consent) == ["cmd:consent", "cmd:decline", "cmd:language"]
    assert consent["parse_mode"] == "HTML"
    assert consent["link_preview_options"] == {"is_disabled": True}

    since = len(bot.api.calls)
    replies = await bot.press(ana, "Yes, I agree")
    assert "Thank you" in texts(replies)
    assert "What would you like to do?" in replies[-1]["text"]
    # the spinner stops, and the consent question now shows the answer without buttons
    assert bot.api.methods(since)[:2] == ["answerCallbackQuery", "editMessageText"]
    edited = bot.api.messages[(501, consent_id(bot, 501))]
    assert edited["text"].endswith("✓ Yes, I agree")
    assert "reply_markup" not in edited

    replies = await bot.say(ana, "can I work?")
    assert "where is your asylum case now?" in replies[-1]["text"]
    replies = await bot.say(ana, "I'm still waiting for the IND")  # typed, not tapped
    assert "How old are you?" in replies[-1]["text"]
    for answer in TO_DATE[1:]:
        replies = await bot.press(ana, answer)
    assert "On what date did you apply for asylum?" in replies[-1]["text"]
    replies = await bot.say(ana, "01-03-2026")
    assert "Do you have a W-document" in replies[-1]["text"]
    replies = await bot.press(ana, "answer:yes")
    answer = texts(replies)
    assert "you may work now" in answer
    # sources are HTML links under the text, not bare URLs
    assert '<a href="https://www.uwv.nl/' in answer


async def test_arabic_consent_question_and_buttons(bot: Harness) -> None:
    amal = bot.user(502, "ar")
    [consent] = await bot.say(amal, "مرحبا")
    assert "هل توافق" in consent["text"]
    replies = await bot.press(amal, "cmd:consent")
    assert "شكرًا" in texts(replies)

    replies = await bot.say(amal, "هل يمكنني العمل؟")
    assert buttons(replies[-1])[0] == "answer:waiting"
    for answer in TO_DATE:
        replies = await bot.press(amal, answer)
    replies = await bot.say(amal, "01-03-2026")
    assert buttons(replies[-1])[0] == "answer:yes"  # the W-document question
    replies = await bot.press(amal, "answer:yes")
    assert "TWV" in texts(replies)
    person = await bot.person(502)
    assert person is not None and person.language == "ar"


async def test_tigrinya_without_a_language_code_stays_tigrinya(bot: Harness) -> None:
    """Telegram often sends no language_code; the Ge'ez script is enough. Pressing a button
    shown in English (no Tigrinya text yet) must not switch the person to English."""
    tesfay = bot.user(503, None)
    [consent] = await bot.say(tesfay, "ሰላም")
    assert "ትሰማምዑ ዶ" in consent["text"]
    replies = await bot.press(tesfay, "cmd:consent")
    assert "የቐንየለይ" in texts(replies)

    await bot.press(tesfay, "flow:may_i_work")
    for answer in TO_DATE:
        await bot.press(tesfay, answer)
    replies = await bot.say(tesfay, "1/3/2026")
    assert buttons(replies[-1])[0] == "answer:yes"  # the W-document question
    replies = await bot.press(tesfay, "answer:yes")
    assert "TWV" in texts(replies)
    person = await bot.person(503)
    assert person is not None and person.language == "ti"


async def test_decline_deletes_the_person_and_says_so(bot: Harness) -> None:
    sam = bot.user(504, "en")
    await bot.say(sam, "hello")
    replies = await bot.press(sam, "cmd:decline")
    assert "I have not saved anything" in texts(replies)
    assert await bot.person(504) is None


def consent_id(bot: Harness, chat_id: int) -> int:
    return min(mid for (chat, mid) in bot.api.messages if chat == chat_id)
