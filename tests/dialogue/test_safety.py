"""Signs of exploitation lead to the sourced answer and a coach at once, in any language,
also in the middle of a flow; ordinary questions about the same topics do not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Event
from bot.flows.safety import find_sign, load_safety_text
from bot.settings import ROOT
from tests.support.dialog import Chat
from tests.support.eligibility import to_date


@pytest.mark.parametrize(
    "text",
    ["My boss didn't pay me for 3 weeks", "mijn baas houdt mijn paspoort",
     "صاحب العمل اخذ جوازي", "He wants money for the TWV", "patron pasaportumu aldı",
     "Он не заплатил мне за месяц"],
)
async def test_a_sign_gets_the_answer_and_a_coach_at_once(chat: Chat, text: str) -> None:
    await chat.say(text)
    links = [link.url for reply in chat.last for link in reply.links]
    assert any("nllabourauthority.nl" in url for url in links)  # the sourced answer
    assert "cmd:coach" in chat.buttons and len(chat.last) == 2  # then the coach offer
    async with chat.dialogue.s.sessions() as session:
        logged = [e.meta.get("safety") for e in await session.scalars(select(Event))]
    assert any(logged)


async def test_a_sign_in_the_middle_of_a_flow_keeps_the_flow(chat: Chat) -> None:
    await chat.say("can I work?")
    await to_date(chat)
    await chat.say("my employer kept my passport")
    chat.expect("sounds serious")
    assert {"cmd:coach", "cmd:continue"} <= set(chat.buttons)
    await chat.press("cmd:continue")
    chat.expect("On what date did you apply")


@pytest.mark.parametrize(
    "text",
    ["who pays for the TWV?", "how much does a TWV cost?", "is volunteer work paid?",
     "I have my passport", "wat kost een werkvergunning"],
)
def test_ordinary_questions_are_not_signs(text: str) -> None:
    signs, issues = load_safety_text(
        (ROOT / "flows" / "safety.yml").read_text(encoding="utf-8"), "safety.yml")
    assert not issues and signs
    assert find_sign(signs, text) is None


def test_broken_safety_file_is_an_issue_not_a_crash() -> None:
    signs, issues = load_safety_text("signs:\n  - id: x\n    answer: [", "safety.yml")
    assert signs == () and issues and issues[0].line >= 1
    signs, issues = load_safety_text("signs:\n  - id: X Bad\n", "safety.yml")
    assert signs == () and issues
