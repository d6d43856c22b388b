"""Conversations in tests/content use the dialogue fixtures (real Dialogue, real content)."""

from tests.dialogue.conftest import chat, make_dialogue, nlu, places

__all__ = ["chat", "make_dialogue", "nlu", "places"]
