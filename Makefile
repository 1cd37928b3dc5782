# The README's two commands: `make dashboard` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= data/processed
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium
# Slow reliability tests (200 MB feeds, 10,000 files, 200 SIGKILLs, a 20-session load
# test; ~15 min more on 2 cores) run with `make test SLOW=1`, as CI does (.ci/run).
SLOW ?= 0

.PHONY: dashboard test install install-test chromium ingest lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

ingest: install
	$(BIN)/diplodash ingest data/raw --store $(STORE)

dashboard: ingest
	$(BIN)/diplodash dashboard --store $(STORE) --port $(PORT)

test: install-test chromium
	DIPLODASH_SLOW=$(SLOW) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

screenshots: install-test chromium
	DIPLODASH_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache *.egg-info
