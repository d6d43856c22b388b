"""Walking through a small flow the way a person would: answers, mistakes, back, the end."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.errors import ContentError
from bot.flows.engine import MAX_RETRIES, FlowEngine
from bot.flows.state import FlowState, SlotNote, StaleStateError, StepOutcome
from bot.messages import Button
from tests.flows.flow_fixtures import ELIGIBILITY, bundle_from

SEPT_15 = date(2025, 9, 15)


def engine(*extra: str) -> FlowEngine:
    bundle, issues = bundle_from(ELIGIBILITY, *extra)
    assert issues == []
    return FlowEngine(bundle)


def reply(
    flows: FlowEngine, out: StepOutcome, text: str, lang: str = "en", today: date = SEPT_15
) -> StepOutcome:
    """The person answers the question `out` left them with."""
    assert out.state is not None, out
    return flows.answer(out.state, text, lang, today)


def texts(outcome: StepOutcome) -> list[str]:
    return [o.text for o in outcome.outputs]


def test_walk_through_with_a_mistake_back_and_end() -> None:
    flows = engine()
    out = flows.start("eligibility", "en", SEPT_15)
    assert (out.status, texts(out)) == ("waiting", ["When did you apply for asylum?"])
    assert out.state is not None and out.state.step_id == "ask_date"

    out = reply(flows, out, "a while ago")
    assert (out.status, out.problem, out.offer_coach) == ("invalid", "vague", False)
    assert texts(out) == ["Please write a date like 15-03-2025.", "When did you apply for asylum?"]
    assert out.state is not None and out.state.retries == 1

    out = reply(flows, out, "2030-01-01")
    assert out.problem == "future" and out.state is not None and out.state.retries == 2

    out = reply(flows, out, "15-03-2025")
    assert out.status == "waiting" and out.state is not None
    assert out.state.retries == 0
    assert out.state.slots == {"application_date": "2025-03-15"}
    assert out.outputs[0].buttons == [
        Button("Yes, COA", "answer:coa"), Button("No", "answer:other")
    ]

    out = flows.back(out.state, "en", SEPT_15)
    assert texts(out) == ["When did you apply for asylum?"]
    assert out.state is not None and out.state.slots == {} and out.state.back_stack == []

    out = reply(flows, reply(flows, out, "15-03-2025"), "answer:coa")
    assert out.status == "waiting"
    assert texts(out) == [
        "You may work now (rules as of November 2026).", "Shall I show jobs?"
    ]
    assert out.outputs[0].sources[0].url == "https://www.uwv.nl/asiel"
    assert out.outputs[1].buttons == [Button("Yes", "answer:yes"), Button("No", "answer:no")]

    out = reply(flows, out, "no")
    assert (out.status, texts(out), out.state) == ("ended", ["Good luck!"], None)


def test_the_day_before_six_months_computes_the_date_in_the_readers_language() -> None:
    flows = engine()
    day_before = date(2025, 9, 14)
    out = flows.start("eligibility", "nl", day_before)
    out = reply(flows, reply(flows, out, "15 maart 2025", "nl", day_before), "Ja, COA", "nl",
                day_before)
    assert (out.status, texts(out)) == ("ended", ["Je mag werken vanaf 15 september 2025.",
                                                  "Succes!"])


def test_fallback_language_and_unreviewed_flag() -> None:
    flows = engine()
    out = flows.start("eligibility", "ti", SEPT_15)
    assert out.outputs[0].language_used == "en"
    out = reply(flows, reply(flows, out, "15 መጋቢት 2025", "ti"), "1", "nl")
    assert out.outputs[0].language_used == "nl"
    assert out.outputs[0].unreviewed
    assert "november 2026" in out.outputs[0].text  # {rules_as_of} is a month
    assert not out.outputs[1].unreviewed


def test_handoff_and_jobs() -> None:
    flows = engine()
    asked = reply(flows, flows.start("eligibility", "en", SEPT_15), "01-01-2025")
    out = reply(flows, asked, "answer:other")
    assert (out.status, out.reason, out.state) == ("handoff", "eligibility_unclear", None)

    out = reply(flows, reply(flows, asked, "answer:coa"), "yes")
    assert (out.status, out.jobs, out.state) == ("jobs", {"near": "municipality"}, None)


def test_a_coach_is_offered_after_three_invalid_answers() -> None:
    flows = engine()
    out = flows.start("eligibility", "en", SEPT_15)
    for attempt in range(1, MAX_RETRIES + 1):
        out = reply(flows, out, "??")
        assert out.state is not None and out.state.retries == attempt
    assert out.offer_coach and out.problem == "unreadable"
    patient = FlowEngine(flows.bundle, max_invalid_answers=5)
    assert not reply(patient, out, "??").offer_coach


def test_month_only_answer_carries_a_note() -> None:
    flows = engine()
    out = reply(flows, flows.start("eligibility", "en", SEPT_15), "March 2025")
    assert out.notes == [SlotNote("application_date", "day_assumed", "2025-03-31")]


def test_state_survives_json_and_resume_re_asks() -> None:
    flows = engine()
    state = reply(flows, flows.start("eligibility", "en", SEPT_15), "15-03-2025").state
    assert state is not None
    stored = json.loads(json.dumps(state.to_dict()))
    restored = FlowState.from_dict(stored)
    assert restored == state
    out = flows.resume(restored, "en", SEPT_15)
    assert texts(out) == ["Do you live in a COA location?"]
    back = flows.back(restored, "en", SEPT_15).state
    assert back is not None and back.step_id == "ask_date"


def test_engine_does_not_change_the_callers_state() -> None:
    flows = engine()
    state = flows.start("eligibility", "en", SEPT_15).state
    assert state is not None
    before = state.to_dict()
    flows.answer(state, "15-03-2025", "en", SEPT_15)
    flows.answer(state, "nonsense", "en", SEPT_15)
    assert state.to_dict() == before


def test_stale_state_is_a_clear_error() -> None:
    flows = engine()
    with pytest.raises(StaleStateError):
        flows.resume(FlowState("eligibility", 1, "removed_step"), "en", SEPT_15)
    with pytest.raises(ContentError):
        flows.start("no_such_flow", "en", SEPT_15)


def test_runtime_expression_errors_are_content_errors_with_the_position() -> None:
    broken = """\
flow: broken
steps:
  - id: name
    ask: {slot: name, type: text, text: {en: "Name?"}}
  - id: calc
    set: {later: "add_months(name, 1)"}
"""
    flows = engine(broken)
    asked = flows.start("broken", "en", SEPT_15)
    with pytest.raises(ContentError) as caught:
        reply(flows, asked, "Amal")
    message = str(caught.value)
    assert "flows/broken.yml:5: broken/calc" in message and "needs a date" in message


def test_say_answer_and_goto_loop() -> None:
    faq = """\
flow: faq
steps:
  - id: show
    say:
      answer: documents/bsn
      buttons: [{label: {en: "Menu"}, payload: "cmd:menu"}]
  - id: loop
    goto: loop
"""
    flows = engine(faq)
    with pytest.raises(ContentError, match="without a question"):
        flows.start("faq", "en", SEPT_15)
    flows_ok = engine(faq.replace("goto: loop", "end: {}"))
    out = flows_ok.start("faq", "nl", SEPT_15)
    assert texts(out) == ["Een BSN krijg je bij inschrijving."]
    assert out.outputs[0].buttons == [
        Button("Stappen", "flow:eligibility"), Button("Menu", "cmd:menu")
    ]
