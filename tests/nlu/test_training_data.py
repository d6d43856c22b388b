"""Reading and writing Rasa 3.x NLU YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.errors import NLUError
from bot.nlu.annotations import format_annotated, parse_annotated
from bot.nlu.training_data import (
    TrainingData,
    data_hash,
    dump_training_data,
    language_of_file,
    read_training_data,
    write_training_data,
)
from tests.nlu.conftest import FIXTURES


def test_reads_intents_entities_and_tables_but_not_config_or_domain(
    fixture_data: TrainingData,
) -> None:
    assert {e.file.rsplit("/", 1)[-1] for e in fixture_data.examples} == {
        "en.yml", "nl.yml", "ar.yml"}
    assert "documents/bsn" in fixture_data.intents
    assert fixture_data.languages == ["ar", "en", "nl"]
    assert fixture_data.lookups["municipality"][:2] == ["Amsterdam", "Utrecht"]
    assert fixture_data.synonyms == {"'s-Hertogenbosch": ["den bosch", "hertogenbosch"]}
    assert fixture_data.regexes == {"bsn_number": [r"\b\d{9}\b"]}
    assert fixture_data.warnings == []


def test_example_keeps_file_and_line(fixture_data: TrainingData) -> None:
    example = next(e for e in fixture_data.examples if e.text == "what is a bsn")
    assert example.file.endswith("en.yml")
    lines = (FIXTURES / "nlu" / "en.yml").read_text().splitlines()
    assert lines[example.line - 1].strip() == "- what is a bsn"
    assert example.intent == "documents/bsn" and example.base_intent == "documents"


@pytest.mark.parametrize(
    ("annotated", "text", "entities"),
    [
        ("i wait [7 months](duration) now", "i wait 7 months now",
         [{"entity": "duration", "value": "7 months", "start": 7, "end": 15}]),
        ('work in [Den Bosch]{"entity": "municipality", "value": "\'s-Hertogenbosch"}',
         "work in Den Bosch",
         [{"entity": "municipality", "value": "'s-Hertogenbosch", "start": 8, "end": 17}]),
        ("[Adam](municipality:Amsterdam) and [2024](date)", "Adam and 2024",
         [{"entity": "municipality", "value": "Amsterdam", "start": 0, "end": 4},
          {"entity": "date", "value": "2024", "start": 9, "end": 13}]),
        ('[Ter Apel]{"entity": "place", "role": "from"}', "Ter Apel",
         [{"entity": "place", "value": "Ter Apel", "start": 0, "end": 8, "role": "from"}]),
        ("no entities [here]", "no entities [here]", []),
    ],
)
def test_entity_annotations(annotated: str, text: str, entities: list[dict[str, object]]) -> None:
    plain, found = parse_annotated(annotated)
    assert plain == text
    assert found == entities
    assert parse_annotated(format_annotated(plain, found)) == (plain, found)


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    original = read_training_data([FIXTURES / "nlu" / "en.yml"])
    target = tmp_path / "en.yml"
    write_training_data(original, target)
    again = read_training_data([target])
    assert [(e.text, e.intent, e.entities) for e in again.examples] == [
        (e.text, e.intent, e.entities) for e in original.examples]
    assert (again.synonyms, again.lookups, again.regexes) == (
        original.synonyms, original.lookups, original.regexes)
    assert dump_training_data(again) == target.read_text()
    assert target.read_text().startswith('version: "3.1"\nnlu:\n- intent: greet\n')


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "en.yml"
    bad.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n'
                   "- intent: greet\n  examples: |\n    - hi\n   bad: indentation\n")
    with pytest.raises(NLUError, match=r"en\.yml:9: invalid YAML"):
        read_training_data([tmp_path])


def test_item_without_examples_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "nl.yml"
    bad.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hoi\n'
                   "- intent: goodbye\n")
    with pytest.raises(NLUError, match=r"nl\.yml:6: intent `goodbye` has no `examples:`"):
        read_training_data([bad])


def test_bad_entity_json_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "en.yml"
    bad.write_text('nlu:\n- intent: find_job\n  examples: |\n    - work in [X]{"entity": }\n')
    with pytest.raises(NLUError, match=r"en\.yml:4: entity markup"):
        read_training_data([bad])


def test_lines_without_dash_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "en.yml"
    path.write_text("nlu:\n- intent: greet\n  examples: |\n    - hi\n    hello\n")
    data = read_training_data([path])
    assert [e.text for e in data.examples] == ["hi"]
    assert "en.yml:5" in data.warnings[0]


def test_files_without_nlu_key_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "rules.yml").write_text('version: "3.1"\nrules: []\n')
    (tmp_path / "domain.yml").write_text("this: [is not: even valid")
    assert read_training_data([tmp_path]).examples == []


def test_language_from_file_name_else_detected(tmp_path: Path) -> None:
    assert language_of_file(Path("nlu/kmr.yml")) == "kmr"
    assert language_of_file(Path("nlu/faq_ckb.yml")) == "ckb"
    assert language_of_file(Path("nlu/smalltalk.yml")) is None
    path = tmp_path / "smalltalk.yml"
    path.write_text("nlu:\n- intent: can_i_work\n  examples: |\n"
                    "    - wanneer mag ik als asielzoeker gaan werken in nederland\n"
                    "    - when am i allowed to start working in the netherlands\n")
    assert [e.language for e in read_training_data([path]).examples] == ["nl", "en"]


def test_data_hash_changes_with_content_only(tmp_path: Path) -> None:
    folder = tmp_path / "nlu"
    shutil.copytree(FIXTURES / "nlu", folder)
    first = data_hash([folder])
    assert data_hash([folder]) == first
    (folder / "config.yml").write_text("changed: true\n")
    assert data_hash([folder]) == first
    with (folder / "en.yml").open("a") as handle:
        handle.write("- intent: thank\n  examples: |\n    - thanks\n")
    assert data_hash([folder]) != first


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NLUError, match="no such file"):
        read_training_data([tmp_path / "nope"])
