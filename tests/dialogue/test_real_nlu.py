"""Dialogs through the real embedded NLU trained on nlu/: what people actually type."""

from __future__ import annotations

from pathlib import Path

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
