# Werkpad. `make run` sets everything up and starts it; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run web shell test lint typecheck check diagrams bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: install
	$(BIN)/python -m bot db upgrade
	$(BIN)/python -m bot content import
	$(BIN)/python -m bot run

web: install
	$(BIN)/python -m bot web

shell: install
	$(BIN)/python -m bot shell

lint: install
	$(BIN)/ruff check bot tests benchmarks

typecheck: install
	$(BIN)/mypy bot

check: install
	$(BIN)/python -m bot content check

test: install lint typecheck
	$(BIN)/python -m pytest

diagrams: install
	$(BIN)/python -m bot content diagrams

bench: install
	$(BIN)/python benchmarks/dialogue_bench.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/nlu-cache .pytest_cache .mypy_cache .ruff_cache
