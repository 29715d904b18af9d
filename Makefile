# techmatch: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install migrate seed test test-postgres fuzz lint format eval eval-external bench soak clean

# The local demo server speaks plain http, so its dashboard cookie cannot be Secure-only.
run: seed
	TECHMATCH_COOKIE_SECURE=$${TECHMATCH_COOKIE_SECURE:-false} $(BIN)/techmatch serve --host $(HOST) --port $(PORT)

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

migrate: install
	$(BIN)/techmatch db upgrade

seed: migrate
	$(BIN)/techmatch seed-demo

test: install
	$(BIN)/python -m pytest

test-postgres: install
	TECHMATCH_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest

# Schemathesis over every operation as every role, with more examples, on PostgreSQL
# (`make test` runs the same test quickly, in-process, on SQLite).
fuzz: install
	TECHMATCH_FUZZ_EXAMPLES=$${TECHMATCH_FUZZ_EXAMPLES:-40} TECHMATCH_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest tests/test_fuzz.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: install
	$(BIN)/python bench/eval_matching.py

# VIRE: a folder with ALQAC.csv, ViMedAQA_v2.csv and ViRHE4QA_v2.csv from longstnguyen/ViRE.
eval-external: install
	$(BIN)/python bench/eval_external.py $(VIRE)

bench: install
	$(BIN)/python bench/engine.py --offers $${OFFERS:-100000} --queries 200

# 10 minutes of mixed load on loopback, 2 workers, PostgreSQL; fails on any error or >= 10 % growth.
soak: install
	$(BIN)/python bench/soak.py --duration 600 --workers 2

clean:
	rm -rf $(VENV) techmatch.db techmatch.db-wal techmatch.db-shm .pytest_cache .mypy_cache .ruff_cache
