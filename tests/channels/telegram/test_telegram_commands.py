"""Commands, privacy and forgetting, edits, places, groups."""

from __future__ import annotations

from sqlalchemy import func, select
from tg_harness import Harness, buttons, texts
from tg_people import TelegramUser

from bot.channels.telegram import texts as texts_module
from bot.db.models import Event, TelegramUpdate
from bot.settings import ROOT, load_settings


async def agreed(bot: Harness, chat_id: int, lang: str | None = "en") -> TelegramUser:
    person = bot.user(chat_id, lang)
    await bot.say(person, "hello")
    await bot.press(person, "cmd:consent")
    return person


async def test_the_command_menu_is_published_in_every_language(bot: Harness) -> None:
    published = {c.params.get("language_code"): c.params for c in bot.api.calls
                 if c.method == "setMyCommands"}
    # en is the default menu (no language_code); Kurmanji goes out as Telegram's "ku"
    assert set(published) == {None, "nl", "ar", "ti", "fa", "ps", "tr", "ku", "so", "fr", "uk",
                              "ru"}
    names = ["start", "menu", "language", "coach", "privacy", "forget", "help", "cancel"]
    english = {c["command"]: c["description"] for c in published[None]["commands"]}
    for code, params in published.items():
        assert [c["command"] for c in params["commands"]] == names, code
        assert params["scope"] == {"type": "all_private_chats"}
        if code is not None:  # translated, not the English menu again
            assert all(c["description"] != english[c["command"]] for c in params["commands"])
    assert published["nl"]["commands"][5]["description"] == "Wis alles over jou"
    assert published["ar"]["commands"][5]["description"] == "احذف كل شيء عنك"
    assert published["ti"]["commands"][1]["description"] == "ቀንዲ ዝርዝር"
    assert published["ku"]["commands"][2]["description"] == "Zimanê xwe hilbijêre"


def test_every_supported_language_describes_every_command() -> None:
    supported = load_settings(ROOT / "config.yml", env={}).languages.supported
    english = [name for name, _ in texts_module.COMMAND_TEXTS["en"]]
    for lang in supported:
        described = texts_module.COMMAND_TEXTS[lang]
        assert [name for name, _ in described] == english, lang
        assert all(0 < len(text) <= 256 for _, text in described), lang
    # our own translations stay marked until a native speaker checks them
    assert set(supported) - {"en", "nl"} == texts_module.UNREVIEWED_COMMANDS


async def test_core_commands_reach_the_core(bot: Harness) -> None:
    ana = await agreed(bot, 901)
    assert "What would you like to do?" in texts(await bot.say(ana, "/menu"))
    assert "What would you like to do?" in texts(await bot.say(ana, "/help"))
    assert "Choose your language" in texts(await bot.say(ana, "/language"))
    assert "A coach is a real person" in texts(await bot.say(ana, "/coach"))
    assert "I stopped" in texts(await bot.say(ana, "/cancel"))
    assert "did not understand" in texts(await bot.say(ana, "/weather"))


async def test_start_with_a_language_in_the_link_speaks_that_language(bot: Harness) -> None:
    [consent] = await bot.say(bot.user(902, "en"), "/start ar")
    assert "هل توافق" in consent["text"]


async def test_privacy_in_english_and_dutch(bot: Harness) -> None:
    [en] = await bot.say(bot.user(903, "en"), "/privacy")
    assert "for 180 days" in en["text"] and "/forget" in en["text"]
    [nl] = await bot.say(bot.user(904, "nl"), "/privacy")
    assert "180 dagen" in nl["text"] and "/forget" in nl["text"]


async def test_forget_asks_first_then_deletes_everything(bot: Harness) -> None:
    ana = await agreed(bot, 905)
    await bot.say(ana, "can I work?")
    [question] = await bot.say(ana, "/forget")
    assert "delete everything" in question["text"]
    assert buttons(question) == ["tg:forget:yes", "tg:forget:no"]

    [done] = await bot.press(ana, "tg:forget:yes")
    assert "I deleted everything" in done["text"]
    assert await bot.person(905) is None
    async with bot.sessions() as session:
        events = await session.scalar(select(func.count()).select_from(Event))
        chat_rows = await session.scalar(select(func.count()).select_from(TelegramUpdate)
                                         .where(TelegramUpdate.chat_id == 905))
    assert events == 0
    assert chat_rows == 0


async def test_forget_in_dutch_and_keeping_it(bot: Harness) -> None:
    piet = await agreed(bot, 906, "nl")
    [question] = await bot.say(piet, "/forget")
    assert "Zal ik alles wissen" in question["text"]
    [kept] = await bot.press(piet, "tg:forget:no")
    assert kept["text"] == "Goed, ik heb niets gewist."
    assert await bot.person(906) is not None


async def test_an_edited_message_gets_one_note_and_a_moving_location_none(
    bot: Harness,
) -> None:
    ana = await agreed(bot, 907)
    await bot.say(ana, "can I work?")
    message_id = ana.sent_ids[-1]
    [note] = await bot.turn(ana, lambda: ana.edits(message_id, "may I work?"))
    assert "changed a message" in note["text"]
    assert await bot.turn(ana, lambda: ana.edits(message_id, "may I work??")) == []
    live = {"message_id": message_id, "date": 1, "edit_date": 2, "chat": ana.chat,
            "from": ana.user, "location": {"latitude": 52.1, "longitude": 5.1}}
    assert await bot.turn(ana, lambda: bot.api.push({"edited_message": live})) == []


async def test_a_shared_location_is_kept_for_job_leads(bot: Harness) -> None:
    ana = await agreed(bot, 908)
    replies = await bot.turn(ana, lambda: ana.shares_location(52.09, 5.12))
    assert "saved your location" in texts(replies)


async def test_messages_in_groups_are_ignored(bot: Harness) -> None:
    group = bot.user(909, chat_type="supergroup")
    since = len(bot.api.calls)
    assert await bot.turn(group, lambda: group.says("hello bot")) == []
    assert bot.api.methods(since) == []
