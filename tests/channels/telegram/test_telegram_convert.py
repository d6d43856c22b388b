"""Update -> IncomingMessage: what crosses from Telegram into the core, and what does not."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update
from tg_fake_api import FakeBotAPI
from tg_people import MEDIA, TelegramUser

from bot.channels.telegram import convert
from bot.messages import IncomingMessage


def update(data: dict[str, Any]) -> Update:
    return Update.de_json({"update_id": 1, **data}, None)


@pytest.fixture
def ana() -> TelegramUser:
    return TelegramUser(FakeBotAPI(), 42, "ar")


def test_text(ana: TelegramUser) -> None:
    u = update(ana.text_update("هل يمكنني العمل؟"))
    assert u.message is not None
    assert convert.text_message(u, u.message) == IncomingMessage(
        channel="telegram", external_id="42", kind="text", text="هل يمكنني العمل؟",
        lang_hint="ar", message_id=str(u.message.message_id))
    assert convert.private_chat_id(u) == 42


@pytest.mark.parametrize(("name", "payload"), [
    ("start", "cmd:menu"), ("help", "cmd:menu"), ("cancel", "cmd:stop"),
    ("coach", "cmd:coach"), ("language", "cmd:language"),
])
def test_core_commands_become_the_core_command_payload(
    ana: TelegramUser, name: str, payload: str
) -> None:
    u = update(ana.text_update(f"/{name}"))
    assert u.message is not None
    incoming = convert.command_message(u, u.message, name, [], ["en", "ar"])
    assert (incoming.kind, incoming.payload, incoming.text) == ("command", payload, "")


def test_a_start_link_with_a_language_hints_it(ana: TelegramUser) -> None:
    u = update(ana.text_update("/start ti"))
    assert u.message is not None
    assert convert.command_message(u, u.message, "start", ["ti"], ["en", "ti"]).lang_hint == "ti"
    assert convert.command_message(u, u.message, "start", ["xx"], ["en", "ti"]).lang_hint == "ar"


def test_a_button_press_sends_the_payload_and_not_the_label() -> None:
    api = FakeBotAPI()
    api.messages[(42, 7)] = {"message_id": 7, "date": 1, "chat": {"id": 42, "type": "private"},
                             "text": "Are you 18?", "reply_markup": {"inline_keyboard": [[
                                 {"text": "Yes", "callback_data": "answer:yes"}]]}}
    u = update(TelegramUser(api, 42, "ti").press_update("Yes"))
    assert u.callback_query is not None
    incoming = convert.button_message(u, u.callback_query, 42)
    assert (incoming.kind, incoming.payload, incoming.text) == ("button", "answer:yes", "")
    assert convert.pressed_label(u.callback_query) == "Yes"


def test_a_location_and_a_venue(ana: TelegramUser) -> None:
    u = update({"message": ana.message(location={"latitude": 52.37, "longitude": 4.89})})
    assert u.message is not None
    incoming = convert.location_message(u, u.message)
    assert incoming is not None and incoming.location == (52.37, 4.89)
    venue = {"location": {"latitude": 51.9, "longitude": 4.5}, "title": "AZC",
             "address": "Somewhere"}
    u = update({"message": ana.message(venue=venue, location=venue["location"])})
    assert u.message is not None
    incoming = convert.location_message(u, u.message)
    assert incoming is not None and incoming.kind == "location"


@pytest.mark.parametrize("kind", sorted(MEDIA))
def test_media_cross_over_as_their_kind_only(ana: TelegramUser, kind: str) -> None:
    u = update({"message": ana.message(**MEDIA[kind])})
    assert u.message is not None
    incoming = convert.other_message(u, u.message)
    assert incoming is not None
    assert (incoming.kind, incoming.other_type, incoming.text) == ("other", kind, "")


def test_a_gif_is_an_animation_not_a_document(ana: TelegramUser) -> None:
    animation = {"file_id": "g", "file_unique_id": "g", "width": 1, "height": 1, "duration": 1}
    u = update({"message": ana.message(animation=animation, document={
        "file_id": "g", "file_unique_id": "g"})})
    assert u.message is not None
    assert convert.attachment_type(u.message) == "animation"


def test_a_service_message_is_not_a_message(ana: TelegramUser) -> None:
    u = update({"message": ana.message(pinned_message={
        "message_id": 1, "date": 0, "chat": ana.chat})})
    assert u.message is not None
    assert convert.other_message(u, u.message) is None


def test_groups_are_not_private_chats() -> None:
    group = TelegramUser(FakeBotAPI(), 42, "en", chat_type="supergroup")
    assert convert.private_chat_id(update(group.text_update("hi"))) is None
    assert convert.chat_key(update(group.text_update("hi"))) == "chat:-100042"
