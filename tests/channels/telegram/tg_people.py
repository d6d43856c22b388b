"""Updates as Telegram would send them for one person in a private chat.

    ana = TelegramUser(api, chat_id=501, lang="ar")
    ana.says("مرحبا")            # pushes a message update, returns its update_id
    ana.presses("Yes")           # presses a button of the newest keyboard the bot sent her
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from tg_fake_api import FakeBotAPI, public

_message_ids = itertools.count(1_000_000)
_query_ids = itertools.count(1)


@dataclass
class TelegramUser:
    api: FakeBotAPI
    chat_id: int
    lang: str | None = "en"
    first_name: str = "Person"
    chat_type: str = "private"
    sent_ids: list[int] = field(default_factory=list)

    @property
    def user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.chat_id, "is_bot": False,
                                "first_name": self.first_name}
        if self.lang:
            user["language_code"] = self.lang
        return user

    @property
    def chat(self) -> dict[str, Any]:
        if self.chat_type == "private":
            return {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        return {"id": -100_000 - self.chat_id, "type": self.chat_type, "title": "A group"}

    def message(self, **content: Any) -> dict[str, Any]:
        message_id = next(_message_ids)
        self.sent_ids.append(message_id)
        return {"message_id": message_id, "date": int(time.time()), "from": self.user,
                "chat": self.chat, **content}

    def text_update(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(command)}]
        return {"message": self.message(**content)}

    def says(self, text: str) -> int:
        return self.api.push(self.text_update(text))

    def sends(self, kind: str) -> int:
        """A sticker, voice message, photo, ... (minimal but valid objects)."""
        return self.api.push({"message": self.message(**MEDIA[kind])})

    def shares_location(self, latitude: float, longitude: float) -> int:
        return self.api.push({"message": self.message(
            location={"latitude": latitude, "longitude": longitude})})

    def edits(self, message_id: int, text: str) -> int:
        edited = {"message_id": message_id, "date": int(time.time()) - 5,
                  "edit_date": int(time.time()), "from": self.user, "chat": self.chat,
                  "text": text}
        return self.api.push({"edited_message": edited})

    def press_update(self, label_or_data: str) -> dict[str, Any]:
        message = self.api.last_keyboard_message(self.chat_id)
        if message is None:
            raise AssertionError(f"the bot sent chat {self.chat_id} no keyboard")
        wanted = label_or_data.casefold()
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if wanted in (button["text"].casefold(), button["callback_data"].casefold()):
                    return {"callback_query": {
                        "id": f"q{next(_query_ids)}", "from": self.user,
                        "chat_instance": f"ci{self.chat_id}", "data": button["callback_data"],
                        "message": public(message)}}
        shown = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
        raise AssertionError(f"no button {label_or_data!r} among {shown}")

    def presses(self, label_or_data: str) -> int:
        return self.api.push(self.press_update(label_or_data))

    def membership(self, new_status: str) -> int:
        """my_chat_member: "kicked" when the person blocks the bot, "member" when unblocked."""
        old_status = "member" if new_status == "kicked" else "kicked"
        bot = {"id": 4242, "is_bot": True, "first_name": "Werkpad"}
        extra = {"until_date": 0} if new_status == "kicked" else {}
        return self.api.push({"my_chat_member": {
            "chat": self.chat, "from": self.user, "date": int(time.time()),
            "old_chat_member": {"user": bot, "status": old_status,
                                **({"until_date": 0} if old_status == "kicked" else {})},
            "new_chat_member": {"user": bot, "status": new_status, **extra}}})


MEDIA: dict[str, dict[str, Any]] = {
    "sticker": {"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512,
                            "height": 512, "is_animated": False, "is_video": False,
                            "type": "regular", "emoji": "👍"}},
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "u2", "duration": 3}},
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "u3", "width": 90,
                         "height": 90}], "caption": "my W-document"},
    "document": {"document": {"file_id": "d1", "file_unique_id": "u4",
                              "file_name": "cv.pdf"}},
    "video_note": {"video_note": {"file_id": "n1", "file_unique_id": "u5", "length": 240,
                                  "duration": 4}},
    "audio": {"audio": {"file_id": "a1", "file_unique_id": "u6", "duration": 30}},
    "contact": {"contact": {"phone_number": "+31600000000", "first_name": "Friend"}},
    "video": {"video": {"file_id": "w1", "file_unique_id": "u7", "width": 320,
                        "height": 240, "duration": 5}},
}
