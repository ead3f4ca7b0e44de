# `make run` and `make test` set everything up themselves: a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APP_STAMP := $(VENV)/.app-installed
DEMO_DB ?= demo.db

.PHONY: run test lint demo bench clean

# The app's own needs only (no test tools, no Playwright): enough for `make run`.
$(APP_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP_STAMP)

# And the test extra (pytest, Playwright, ruff, mypy, openpyxl ...): for `make lint` and `make test`.
$(STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Start the app on a demo database (made once, then reused).
run: $(APP_STAMP)
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
# scripts/ensure-browser.sh installs it when missing and it can; when it cannot (not root, no sudo),
# it says so loudly and everything else runs. In CI (CI=true) nothing is left out. tests/hq run a
# throwaway PostgreSQL cluster, whose server scripts/ensure-postgres.sh installs when missing.
test: lint
	@skip=$$(scripts/ensure-browser.sh) || exit 1; \
	scripts/ensure-postgres.sh || exit 1; \
	$(BIN)/python -m pytest -q -n auto --dist loadgroup $$skip; status=$$?; \
	if [ -n "$$skip" ]; then echo "make test: NOT RUN here: $$skip (see ensure-browser above)" >&2; fi; \
	exit $$status

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).key .mypy_cache .ruff_cache
