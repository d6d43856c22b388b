"""Dialogs through the real embedded NLU trained on nlu/: what people actually type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.nlu.embedded import EmbeddedNLU
from bot.settings import ROOT
from tests.dialogue.conftest import MakeDialogue
from tests.support.dialog import Chat


@pytest.fixture(scope="session")
def real_nlu(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedNLU:
    cache: Path = tmp_path_factory.mktemp("nlu-cache")
    return EmbeddedNLU.load_or_train(ROOT / "nlu", cache, 0.5)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "i have been in azc 7 month can i work now"),
        ("nl", "mag ik al werken? ik zit 8 maanden in het azc"),
        ("ar", "متى يسمح لي بالعمل؟"),
        ("tr", "ne zaman çalışabilirim"),
        ("fr", "est-ce que je peux travailler maintenant"),
        ("ru", "когда мне можно работать"),
    ],
)
async def test_asking_whether_one_may_work_starts_the_check(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU, lang: str, text: str
) -> None:
    chat = Chat(await make_dialogue(nlu=real_nlu), lang=lang)
    await chat.agree()
    await chat.say(text)
    assert chat.buttons[0] == "answer:waiting", chat.text  # "where is your case now?"
    assert chat.last[-1].meta["flow"] == "may_i_work"


async def test_gibberish_is_not_mistaken_for_a_question(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU
) -> None:
    chat = Chat(await make_dialogue(nlu=real_nlu))
    await chat.agree()
    await chat.say("asdkjh qwpoeiru zxmcnv")
    assert "cmd:menu" in chat.buttons
    assert not any(b.startswith(("answer:", "flow:may")) for b in chat.buttons[:1])


async def test_a_bsn_question_gets_the_bsn_answer_in_dutch(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU
) -> None:
    chat = Chat(await make_dialogue(nlu=real_nlu), lang="nl")
    await chat.agree()
    await chat.say("hoe krijg ik een bsn nummer")
    chat.expect("BSN", "BRP")
    assert any("coa.nl" in link.url for reply in chat.last for link in reply.links)


async def state_of(chat: Chat) -> Any:
    from sqlalchemy import select

    from bot.db.models import ConversationState

    async with chat.dialogue.s.sessions() as session:
        return await session.scalar(select(ConversationState))


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "where can I find a job near AZC Budel"),
        ("nl", "waar kan ik werk vinden bij azc Budel"),
        ("ar", "وين بلاقي شغل قريب من azc Budel"),
        ("ti", "ኣብ ጥቓ azc Budel ስራሕ ኣበይ ይረክብ"),
        ("tr", "azc Budel yakınında nerede iş bulabilirim"),
    ],
)
async def test_a_job_near_a_place_starts_the_job_search_there(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU, lang: str, text: str
) -> None:
    """The issue's first complaint: this started the "May I work?" check in five languages."""
    chat = Chat(await make_dialogue(nlu=real_nlu))
    await chat.agree()
    await chat.say(text)
    state = await state_of(chat)
    assert (state.flow_id, state.slots.get("municipality")) == ("jobs", "GM1706"), chat.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "what's the weather in Eindhoven tomorrow"),
        ("en", "report fraudulent activity on my card"),
        ("fa", "ساعت چنده"),
        ("fr", "Personne ne me comprend"),
        ("nl", "wat wordt de minimum temperatuur morgen"),
    ],
)
async def test_everyday_messages_get_no_topic_coach_or_warning(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU, lang: str, text: str
) -> None:
    chat = Chat(await make_dialogue(nlu=real_nlu))
    await chat.agree()
    await chat.say(text)
    state = await state_of(chat)
    assert state.flow_id in (None, "main_menu"), chat.text
    assert "cmd:coach" not in chat.buttons or "cmd:menu" in chat.buttons  # fallback's buttons
    assert not any(r.meta.get("intent", "") and r.meta["intent"].startswith(
        ("labour_rights", "request_human")) for r in chat.last), chat.text


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "please delete all my data"), ("nl", "vergeet mij alsjeblieft"),
     ("ar", "احذف بياناتي"), ("tr", "verilerimi sil"), ("ru", "удалите мои данные")],
)
async def test_asking_to_be_forgotten_in_words_reaches_the_question(
    make_dialogue: MakeDialogue, real_nlu: EmbeddedNLU, lang: str, text: str
) -> None:
    chat = Chat(await make_dialogue(nlu=real_nlu))
    await chat.agree()
    await chat.say(text)
    assert chat.buttons[:2] == ["cmd:forget_yes", "cmd:forget_no"], chat.text
