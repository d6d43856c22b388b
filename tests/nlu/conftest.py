"""Fixtures for the NLU tests: small Rasa-format files and an engine trained on them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.training_data import TrainingData, read_training_data

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_data() -> TrainingData:
    return read_training_data([FIXTURES / "nlu"])


@pytest.fixture(scope="session")
def engine(fixture_data: TrainingData) -> EmbeddedNLU:
    """Trained once per test session: training takes about a second."""
    return EmbeddedNLU.train(fixture_data)
