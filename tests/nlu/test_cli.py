"""The functions behind `python -m bot nlu train|parse|test`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.nlu.cli import cmd_parse, cmd_test, cmd_train, make_engine
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.rasa_client import FallbackNLU, RasaNLU
from tests.nlu.conftest import FIXTURES


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(FIXTURES / "nlu", tmp_path / "nlu")
    return tmp_path / "nlu", tmp_path / "cache"


def test_train_then_cached(dirs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_train(*dirs) == 0
    assert "trained in" in capsys.readouterr().out
    assert cmd_train(*dirs) == 0
    assert "up to date" in capsys.readouterr().out


def test_parse_prints_rasa_json(dirs: tuple[Path, Path],
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_parse("أبحث عن عمل", *dirs) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["intent"]["name"] == "find_job"
    assert body["language"] == "ar"
    assert "عمل" in json.dumps(body, ensure_ascii=False)


def test_test_writes_reports(dirs: tuple[Path, Path], tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    assert cmd_test([FIXTURES / "heldout"], out, *dirs) == 0
    assert "accuracy" in capsys.readouterr().out
    assert (out / "intent_report.json").exists()


def test_errors_become_exit_code_one(dirs: tuple[Path, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_test([tmp_path / "missing"], tmp_path / "out", *dirs) == 1
    assert cmd_parse("hi", *dirs, engine="rasa", rasa_url=None) == 1
    assert cmd_parse("hi", *dirs, engine="bert") == 1
    assert "error:" in capsys.readouterr().err


def test_make_engine_kinds(dirs: tuple[Path, Path]) -> None:
    data_dir, cache_dir = dirs
    assert isinstance(make_engine("embedded", data_dir=data_dir, cache_dir=cache_dir),
                      EmbeddedNLU)
    wrapped = make_engine("rasa", data_dir=data_dir, cache_dir=cache_dir,
                          rasa_url="http://127.0.0.1:9")
    assert isinstance(wrapped, FallbackNLU)
    bare = make_engine("rasa", data_dir=data_dir, cache_dir=cache_dir,
                       rasa_url="http://127.0.0.1:9", fallback=False)
    assert isinstance(bare, RasaNLU)
