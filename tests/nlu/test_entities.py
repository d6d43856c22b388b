"""Rule entity extraction: durations, dates and municipalities in Rasa's entity shape."""

from __future__ import annotations

import pytest

from bot.nlu.entities import EntityExtractor, extract_dates, extract_durations
from bot.nlu.training_data import TrainingData


@pytest.mark.parametrize(
    ("text", "span", "months"),
    [
        ("i applied 7 months ago", "7 months", 7.0),
        ("ik wacht al zes maanden", "zes maanden", 6.0),
        ("أنتظر منذ ٧ أشهر", "٧ أشهر", 7.0),
        ("۸ ماه است منتظرم", "۸ ماه", 8.0),
        ("6 aydır bekliyorum", "6 aydır", 6.0),
        ("я жду шесть месяцев", "шесть месяцев", 6.0),
        ("lix bilood ayaan sugayay", "lix bilood", 6.0),
        ("waiting 2 years", "2 years", 24.0),
        ("I waited half a year", "half a year", 6.0),
    ],
)
def test_durations(text: str, span: str, months: float) -> None:
    [entity] = extract_durations(text)
    assert text[entity["start"] : entity["end"]] == span == entity["value"]
    assert entity["entity"] == "duration"
    assert entity["additional_info"]["months"] == months


@pytest.mark.parametrize(
    ("text", "info"),
    [
        ("i applied on 15-03-2024", {"day": 15, "month": 3, "year": 2024}),
        ("since 2024-03-15", {"day": 15, "month": 3, "year": 2024}),
        ("sinds maart 2024", {"month": 3, "year": 2024}),
        ("depuis le 2 mars", {"day": 2, "month": 3}),
        ("с 1 марта 2024", {"day": 1, "month": 3, "year": 2024}),
        ("since 03/2024", {"month": 3, "year": 2024}),
    ],
)
def test_dates(text: str, info: dict[str, int]) -> None:
    [entity] = extract_dates(text)
    assert entity["entity"] == "date"
    assert entity["additional_info"] == info


def test_may_alone_is_not_a_date() -> None:
    assert extract_dates("may i work now") == []


def test_municipalities_from_lookup_synonyms_and_annotations(
    fixture_data: TrainingData,
) -> None:
    extractor = EntityExtractor.from_training_data(fixture_data)
    text = "jobs in den bosch or AMSTERDAM, not in Utrecht"
    found = [(e["value"], text[e["start"] : e["end"]]) for e in extractor.extract(text)]
    assert found == [("'s-Hertogenbosch", "den bosch"), ("Amsterdam", "AMSTERDAM"),
                     ("Utrecht", "Utrecht")]
    [arabic] = extractor.extract("عمل في أمستردام")
    assert arabic["value"] == "Amsterdam"
    assert set(arabic) == {"entity", "value", "start", "end", "extractor"}


def test_entities_do_not_overlap(fixture_data: TrainingData) -> None:
    extractor = EntityExtractor.from_training_data(fixture_data)
    entities = extractor.extract("in Ter Apel since 15 maart 2024, so 8 maanden")
    assert [e["entity"] for e in entities] == ["municipality", "date", "duration"]
