#!/usr/bin/env bash
# Build and test the project on Spark (dbt-spark session mode: a local pyspark
# in the dbt process), from the raw tables of a DuckDB file. Called by
# scripts/engines.sh (engine_spark) after the DuckDB build;
# tests_python/test_engines.py then compares Spark's marts and backtest tables
# with DuckDB's.
#
#   bash scripts/spark_check.sh [DUCKDB_FILE]     (default $HEALTH_DUCKDB_PATH)
#
# Needs Java 17: installed with apt-get (Debian's openjdk-17-jre-headless) when
# `java` is missing and we are root (or have sudo). The metastore and
# warehouse live in HEALTH_SPARK_DIR (default data/spark), wiped first so every
# run starts clean. One dbt invocation (each one starts a JVM), few shuffle
# partitions; HEALTH_SPARK_THREADS (default 2) dbt threads.
set -euo pipefail
CALLER=$(pwd)
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATH="$ROOT/.venv/bin:$PATH"
export DBT_PROFILES_DIR="${DBT_PROFILES_DIR:-$ROOT}"
DB=${1:-${HEALTH_DUCKDB_PATH:-$ROOT/data/ci/health.duckdb}}
DB=$(cd "$CALLER" && realpath -m "$DB")  # relative to the caller's directory
export HEALTH_SPARK_DIR="${HEALTH_SPARK_DIR:-$ROOT/data/spark}"
case "$HEALTH_SPARK_DIR" in /*) ;; *) HEALTH_SPARK_DIR="$ROOT/$HEALTH_SPARK_DIR" ;; esac

java_ok() {
  command -v java >/dev/null 2>&1 || return 1
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 11 ]
}

ensure_java() {
  java_ok && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else echo "spark_check: Java 17 is missing and apt-get needs root; install a JRE" >&2; return 3; fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "spark_check: Java 17 is missing and there is no apt-get; install a JRE" >&2
    return 3
  fi
  # Java 17 (what Spark 3.5 supports); default-jre-headless where the release
  # has no openjdk-17 package
  echo "==> installing Java 17 (openjdk-17-jre-headless, apt-get)"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    openjdk-17-jre-headless >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      default-jre-headless >/dev/null
  java_ok || { echo "spark_check: Java still missing after apt-get" >&2; return 3; }
}

ensure_java
rm -rf "$HEALTH_SPARK_DIR"
mkdir -p "$HEALTH_SPARK_DIR"
start=$(date +%s)

echo "==> load the raw tables of $DB into Spark ($HEALTH_SPARK_DIR)"
(cd scripts && python -m healthwh.load_raw_spark --duckdb "$DB")

echo "==> dbt build on Spark (session mode): seeds, models, data tests and unit tests"
dbt build --project-dir "$ROOT" --target spark \
  --target-path "$ROOT/target/spark" --log-path "$ROOT/logs/spark" \
  --threads "${HEALTH_SPARK_THREADS:-2}" --full-refresh --fail-fast

echo "==> Spark: load + build took $(( $(date +%s) - start )) s"
