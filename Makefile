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
	-$(BIN)/python -m bot jobs import data/jobs/sample_leads.csv --if-empty --quiet
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

# Only the real-browser tests of the web chat (needs /usr/bin/chromium; make test runs them too).
.PHONY: test-browser
test-browser: install
	$(BIN)/python -m pytest tests/browser -q

# The real Rasa 3.6.21 server for the `rasa` NLU engine (docs/nlu.md): its own Python 3.10 venv
# (.rasa-venv), a model trained on nlu/ (var/rasa-models, retrained when the data hash changes).
# `make rasa` serves in the foreground; rasa-start/rasa-stop run it in the background (pid file).
RASA_URL ?= http://127.0.0.1:5005
.PHONY: rasa rasa-install rasa-train rasa-start rasa-stop rasa-eval
rasa:
	scripts/rasa.sh serve

rasa-install:
	scripts/rasa.sh install

rasa-train:
	scripts/rasa.sh train

rasa-start:
	scripts/rasa.sh start

rasa-stop:
	scripts/rasa.sh stop

# Held-out accuracy, junk rejection, HTTP latency and server memory of the running server.
rasa-eval: install
	RASA_URL=$(RASA_URL) $(BIN)/python scripts/rasa_bench.py --out var/rasa-eval

clean:
	rm -rf $(VENV) var/*.sqlite3* var/nlu-cache .pytest_cache .mypy_cache .ruff_cache
