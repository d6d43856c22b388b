"""What a person already said fills a question instead of asking it (issue 13): the engine
takes a prefilled text for a question of that type once, says so, and Back asks it."""

from __future__ import annotations

from datetime import date

from bot.flows.engine import FlowEngine
from bot.flows.state import SlotNote
from tests.flows.flow_fixtures import ELIGIBILITY, bundle_from

SEPT_15 = date(2025, 9, 15)


def engine() -> FlowEngine:
    bundle, issues = bundle_from(ELIGIBILITY)
    assert issues == []
    return FlowEngine(bundle)


def test_a_date_already_said_answers_the_date_question() -> None:
    flows = engine()
    out = flows.start("eligibility", "en", SEPT_15, prefill={"date": "15-03-2025"})
    assert out.state is not None and out.state.step_id == "ask_reception"
    assert out.state.slots["application_date"] == "2025-03-15"
    assert SlotNote("application_date", "prefilled", "2025-03-15") in out.notes
    assert [o.text for o in out.outputs] == ["Do you live in a COA location?"]


def test_back_asks_the_prefilled_question_and_does_not_fill_it_again() -> None:
    flows = engine()
    out = flows.start("eligibility", "en", SEPT_15, prefill={"date": "15-03-2025"})
    assert out.state is not None
    out = flows.back(out.state, "en", SEPT_15)
    assert [o.text for o in out.outputs] == ["When did you apply for asylum?"]
    assert out.state is not None and "application_date" not in out.state.slots


def test_an_unreadable_prefill_is_dropped_silently_and_the_question_asked() -> None:
    flows = engine()
    for said in ("can I work?", "2030-01-01", ""):
        out = flows.start("eligibility", "en", SEPT_15, prefill={"date": said})
        assert out.status == "waiting" and out.problem is None
        assert [o.text for o in out.outputs] == ["When did you apply for asylum?"]
        assert out.state is not None and not out.notes
        out = flows.answer(out.state, "15-03-2025", "en", SEPT_15)  # asked, then answered
        assert out.state is not None and out.state.slots["application_date"] == "2025-03-15"


def test_a_prefill_waits_for_a_later_question_of_its_type() -> None:
    flows = engine()
    out = flows.start("eligibility", "en", SEPT_15, prefill={"choice": "coa"})
    assert out.state is not None and out.state.step_id == "ask_date"  # a date: not a choice
    out = flows.answer(out.state, "15-03-2025", "en", SEPT_15)
    # choices are never prefilled: a word in a question is no answer to a multiple choice
    assert out.state is not None and out.state.step_id == "ask_reception"
