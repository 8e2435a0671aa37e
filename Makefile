# Two commands: `make run` sets up and serves the app; `make test` sets up and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
CODE := $(wildcard insights nlp tests benchmarks)

.PHONY: run worker venue test lint bench setup db demo chromium clean wheel-check

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

db: setup
	$(BIN)/insights db upgrade

demo: db
	$(BIN)/insights demo load --if-empty

# The app and one background worker; Ctrl-C stops both.
run: demo
	@$(BIN)/insights worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/insights run --host $(HOST) --port $(PORT)

worker: db
	$(BIN)/insights worker

# The workshop day: serve on this laptop's network address for phones and the projector.
# Refuses to start while an account has the demo password (and offers to set new ones).
venue: demo
	@$(BIN)/insights worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/insights venue --port $(PORT) $(VENUE_ARGS)

# Debian's Chromium drives the browser tests; install it when it is missing (needs root).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup chromium
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy insights nlp

# Build the wheel, install it in a fresh virtualenv and serve it from another folder.
wheel-check: setup
	.ci/wheel-check

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
