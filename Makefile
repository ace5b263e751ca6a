# ACORN-i: the three commands operators and CI depend on are `demo`, `test` and `run`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/plugins:$(CURDIR)
export AIRFLOW_HOME ?= $(CURDIR)/data/run/airflow_home
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := false
export PYTHONWARNINGS := ignore
START ?=
END ?=

.PHONY: demo test run backfill venv lock lint bench bench-warehouse sandbox clean world business-calendar \
	dashboard i18n docs

$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet uv==0.13.8
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt -c constraints.txt
	touch $@

venv: $(VENV)/.installed

## demo: the main job on embedded defaults: sandbox -> lake (-> warehouse -> marts), with a summary
# FULL_REFRESH=1: rebuild the warehouse's incremental tables from the whole lake
# (once after an upgrade that changes an incremental model's columns).
WAREHOUSE_FLAGS = $(if $(filter 1 yes true,$(FULL_REFRESH)),--full-refresh,)

demo: venv
	$(PY) -m acorn_sim.demo $(WAREHOUSE_FLAGS)

## run: the nightly pipeline for START..END against whatever the spapi_* connections point at
run: venv
	@test -n "$(START)" -a -n "$(END)" || { echo "usage: make run START=YYYY-MM-DD END=YYYY-MM-DD"; exit 2; }
	$(PY) -m acorn.cli run --start $(START) --end $(END) $(WAREHOUSE_FLAGS)

## dashboard: the morning dashboard on 127.0.0.1:8501 (PORT=...), from the nightly exports
dashboard: venv
	$(PY) -m dashboard --port $(or $(PORT),8501)

## i18n: re-extract the dashboard's messages into both catalogues (then translate the new ones)
i18n: venv
	$(PY) -m dashboard.catalogues

## test: the whole suite (lint, unit, integration over real HTTP, DAG integrity, e2e)
test: venv lint
	$(VENV)/bin/pytest -q --durations=25

## lint: ruff on the Python, SQLFluff on the dbt models (STYLE.md sections 3 and 5).
## The dbt templater compiles each model against an empty, throwaway DuckDB file
## (nothing is incremental there), so no lake or warehouse is needed, nor a network.
lint: venv
	$(VENV)/bin/ruff check plugins acorn_sim dags tests bench dashboard
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  echo "sqlfluff lint dbt/models" && \
	  DUCKDB_PATH="$$tmp/lint.duckdb" ACORN_LAKE_DIR="$$tmp/lake" ACORN_RISK_DIR="$$tmp/risk" ACORN_CASHFLOW_DIR="$$tmp/cashflow" \
	  DBT_TARGET_PATH="$$tmp/target" DBT_LOG_PATH="$$tmp/logs" \
	  $(VENV)/bin/sqlfluff lint dbt/models --processes 0

## bench: client throughput against the sandbox's enforced rates (see README)
bench: venv
	$(PY) bench/bench_client_rate.py

## bench-warehouse: dbt full refresh + one incremental night vs a pandas reference (see bench/bench_warehouse.py)
BENCH_WORLD ?= data/worlds/demo
bench-warehouse: venv
	test -f $(BENCH_WORLD)/manifest.json || $(PY) -m acorn_sim.world build --seed 7 --out $(BENCH_WORLD)
	$(PY) bench/bench_warehouse.py --world-dir $(BENCH_WORLD)

## sandbox: serve the demo world on 127.0.0.1:8123 until interrupted
sandbox: venv
	$(PY) -m acorn_sim.sandbox serve --port 8123 --time-scale 100

## world: build the default demo world (seed 7, 1 seller, 90 days, 13 marketplaces) into data/worlds/demo
world: venv
	$(PY) -m acorn_sim.world build --seed 7 --sellers 1 --days 90 --scale 1 --out data/worlds/demo --force

## business-calendar: regenerate the holiday and weekend seeds from the pinned `holidays`
## package (after bumping it in constraints.txt; tests/unit/test_business_calendar.py checks them)
business-calendar: venv
	$(PY) -m acorn.business_calendar

## docs: dbt's docs site (catalog, lineage, exposures; generated first if missing, DOCS_REFRESH=1
## regenerates) served on http://127.0.0.1:8080 (PORT=...); it prints static_index.html, which opens without one
docs: venv
	$(PY) -m acorn.warehouse docs --serve --port $(or $(PORT),8080) $(if $(filter 1 yes true,$(DOCS_REFRESH)),--refresh,)

## lock: re-resolve constraints.txt from requirements.txt
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv && .lockvenv/bin/pip install --quiet uv==0.13.8
	.lockvenv/bin/uv pip install --quiet --python .lockvenv/bin/python -r requirements.txt
	.lockvenv/bin/uv pip freeze --python .lockvenv/bin/python > constraints.txt && rm -rf .lockvenv

clean:
	rm -rf data/run/airflow_home data/lake/*/ data/audit/*.jsonl

## backfill: the nightly pipeline chunk by chunk (CHUNK_DAYS, default 1) over START..END
backfill: venv
	@test -n "$(START)" -a -n "$(END)" || { echo "usage: make backfill START=YYYY-MM-DD END=YYYY-MM-DD [CHUNK_DAYS=1]"; exit 2; }
	$(PY) -m acorn.cli backfill --start $(START) --end $(END) --chunk-days $(or $(CHUNK_DAYS),1) $(WAREHOUSE_FLAGS)
