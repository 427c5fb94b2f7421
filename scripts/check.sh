#!/usr/bin/env bash
# Every check the project has, in order of speed. Called by quickstart.sh test
# (and so by .ci/run) after the virtual environment is ready.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/.venv/bin:$PATH"
export DBT_PROFILES_DIR="$ROOT"
export HEALTH_DUCKDB_PATH="${HEALTH_DUCKDB_PATH:-$ROOT/data/ci/health.duckdb}"
mkdir -p "$(dirname "$HEALTH_DUCKDB_PATH")"
step() { printf '\n==> %s\n' "$*"; }

step "ruff (Python lint)"
ruff check scripts tests_python

step "sqlfluff (SQL lint)"
sqlfluff lint models analyses --processes 2

step "portability lint (no DuckDB-only SQL in models/ and tests/, docs/engines.md)"
python scripts/lint_portable.py

step "generate small sample data with messy rows injected"
python scripts/health.py generate --size small --messy-rate 0.01 --db "$HEALTH_DUCKDB_PATH"

step "dbt build: seeds, models, data tests and unit tests"
dbt build --project-dir "$ROOT" --full-refresh --fail-fast

# The other engines (docs/engines.md): the same small data loaded into each
# reachable engine, built and tested there; pytest (tests_python/
# test_engines.py) then compares their marts and backtest with DuckDB's.
# scripts/engines.sh starts what it can (a private Postgres) and stops it at
# the end; an engine that cannot run is skipped with a clear message, unless
# HEALTH_REQUIRE_ENGINES names it (.ci/run requires them all).
# shellcheck source=scripts/engines.sh
source scripts/engines.sh
engines_build "$HEALTH_DUCKDB_PATH"

step "pytest"
# pytest exits 5 when it collects nothing: that fails this script too.
pytest tests_python -q
