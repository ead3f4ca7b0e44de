# `make run` and `make test` set everything up themselves: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: run test lint demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Start the app on a demo database (made once, then reused).
run: $(STAMP)
	@test -f $(DEMO_DB) || $(BIN)/lobby-tui demo --db $(DEMO_DB) --customers 20000 --days 30
	$(BIN)/lobby-tui --db $(DEMO_DB)

# Static checks: lint, formatting, and types (mypy's settings are in pyproject.toml; strict for
# lobby_tui.domain and lobby_tui.store).
lint: $(STAMP)
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

# The static checks first, then the suite in parallel (pytest-xdist, one worker per core; tests that
# must share a worker are marked with xdist_group). The browser tests drive Debian's Chromium:
# scripts/ensure-browser.sh installs it when missing; tests/hq run a throwaway PostgreSQL cluster, whose
# server scripts/ensure-postgres.sh installs when missing.
test: lint
	scripts/ensure-browser.sh
	scripts/ensure-postgres.sh
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).key .mypy_cache .ruff_cache
