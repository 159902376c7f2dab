# Pendopo — `make` prints this help.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PENDOPO := $(BIN)/pendopo
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in the links of every message, the demo's too: `make run PORT=8001` links to :8001.
export PENDOPO_BASE_URL ?= http://$(HOST):$(PORT)
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run web worker migrate demo test test-serial lint format messages bench clean

help:  ## Show this help
	@echo "Pendopo — public-service platform for Indonesian regional governments"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## Create .venv and install Pendopo with its development tools

migrate: install  ## Apply database migrations (SQLite in var/ unless DATABASE_URL is set)
	$(PENDOPO) migrate --no-input

demo: migrate  ## Load reference areas and the demo regions (idempotent)
	$(PENDOPO) demo

run: demo  ## Install, migrate, load the demo, then serve http://127.0.0.1:8000 with the worker
	$(PENDOPO) compilemessages --ignore=.venv >/dev/null 2>&1 || true
	@echo "Pendopo: http://$(HOST):$(PORT)/  (worker running beside it; Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	export PENDOPO_BASE_URL="$${PENDOPO_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(PENDOPO) worker & \
	$(PENDOPO) runserver $(HOST):$(PORT) --noreload; \
	wait

# The suite is spread over the cores (at most 4) by pytest-xdist: each worker has its own test database
# and builds the demo once (conftest.py). `make test-serial` runs it in one process, in collection order.
test: install  ## Run the whole test suite on every core, at most 4 (DATABASE_URL if set, else SQLite)
	$(BIN)/pytest -n auto --maxprocesses 4

test-serial: install  ## The same suite in one process (to tell an order-dependent failure from a parallel one)
	$(BIN)/pytest

lint: install  ## ruff lint and format check, mypy (all of pendopo/ and scripts/, 0 errors), migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(PENDOPO) makemigrations --check --dry-run

format: install  ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install  ## Update and compile the translation catalogues
	cd pendopo && ../$(PENDOPO) makemessages -l en -l id --ignore='tests/*' --ignore='*/tests/*' && ../$(PENDOPO) compilemessages

bench: install  ## Run the benchmarks in benchmarks/ (ratios against a baseline measured in the same run)
	$(BIN)/python -m benchmarks

clean:  ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache .ruff_cache
