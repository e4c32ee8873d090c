# Everything runs from the project's own virtual environment; `make run` and `make test`
# install first when needed, so both work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run demo test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install  ## everything on this machine: embedded Redis, worker, beat, demo source
	$(BIN)/collector run

demo: run

test: install  ## unit, integration (real Redis, real workers) and end-to-end tests
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check collector workers beat tests/unit tests/integration
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/bench_simulator.py
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
