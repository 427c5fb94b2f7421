# shellcheck shell=bash
# Sourced by scripts/check.sh: build and test the small data on the other
# engines (docs/engines.md). After engines_build, HEALTH_ENGINES_BUILT lists the
# engines built from the DuckDB raw file in HEALTH_COMPARE_DUCKDB, and
# tests_python/test_engines.py compares each with DuckDB.
#
#   HEALTH_ENGINES           engines to try (default: postgres; .ci/run: postgres spark)
#   HEALTH_REQUIRE_ENGINES   engines that must run (.ci/run: all); any other
#                            engine that cannot run is skipped with a message
#
# Postgres: the server in HEALTH_PG_* when it answers, else a private one from
# scripts/services.sh (installed with apt-get when missing and we are root),
# stopped again when check.sh exits.

engines_required() { [[ " ${HEALTH_REQUIRE_ENGINES//,/ } " == *" $1 "* ]]; }

engines_skip() {  # engine, reason
  if engines_required "$1"; then
    echo "ERROR: $1 is required (HEALTH_REQUIRE_ENGINES) but cannot run: $2" >&2
    exit 1
  fi
  echo "SKIPPED $1: $2. Its build and the cross-engine comparison do not run;"
  echo "        start it (docs/engines.md) or set HEALTH_REQUIRE_ENGINES=$1 to make this an error."
}

pg_answers() {
  python - <<'EOF' >/dev/null 2>&1
import os, psycopg2
psycopg2.connect(host=os.environ.get("HEALTH_PG_HOST", "127.0.0.1"),
                 port=int(os.environ.get("HEALTH_PG_PORT", "5432")),
                 user=os.environ.get("HEALTH_PG_USER", "health"),
                 password=os.environ.get("HEALTH_PG_PASSWORD") or None,
                 dbname=os.environ.get("HEALTH_PG_DATABASE", "health"),
                 connect_timeout=5).close()
EOF
}

engine_postgres() {  # duckdb raw file
  local pg_env
  if [ -z "${HEALTH_PG_HOST:-}" ] || ! pg_answers; then
    if bash scripts/services.sh pg-start; then
      pg_env=$(bash scripts/services.sh pg-env)
      eval "$pg_env"
      ENGINES_STARTED="${ENGINES_STARTED:-} postgres"
      # shellcheck disable=SC2064
      trap "bash '$ROOT/scripts/services.sh' pg-stop" EXIT
    else
      engines_skip postgres "no Postgres server answers and scripts/services.sh pg-start failed"
      return 0
    fi
  fi
  pg_answers || { engines_skip postgres "the server at $HEALTH_PG_HOST:$HEALTH_PG_PORT does not answer"; return 0; }
  export HEALTH_PG_HOST HEALTH_PG_PORT HEALTH_PG_USER HEALTH_PG_PASSWORD HEALTH_PG_DATABASE

  step "Postgres: load the raw tables, dbt build (seeds, models, data tests, unit tests)"
  python scripts/load_raw.py --duckdb "$1" --target postgres
  dbt build --project-dir "$ROOT" --target postgres --full-refresh --fail-fast \
    --target-path target/postgres --log-path logs/postgres
  HEALTH_ENGINES_BUILT="${HEALTH_ENGINES_BUILT:-} postgres"
}

engine_spark() {  # duckdb raw file
  # Spark in session mode (pyspark in the dbt process) needs Java 17:
  # scripts/spark_check.sh installs Debian's JRE when it is missing (as root),
  # loads the raw tables into a fresh local metastore and runs one dbt build
  # (each dbt invocation starts a JVM; docs/engines-spark.md)
  if ! python -c "import pyspark" >/dev/null 2>&1; then
    engines_skip spark "pyspark is not installed (requirements.txt pins it)"
    return 0
  fi
  step "Spark (session mode): load the raw tables, dbt build (seeds, models, data tests, unit tests)"
  local rc=0
  bash scripts/spark_check.sh "$1" || rc=$?
  if [ "$rc" = 3 ]; then
    engines_skip spark "Java 17 is missing and could not be installed"
    return 0
  fi
  [ "$rc" = 0 ] || exit "$rc"
  HEALTH_ENGINES_BUILT="${HEALTH_ENGINES_BUILT:-} spark"
}

engines_build() {  # duckdb raw file (already built with dbt on DuckDB)
  local engine
  export HEALTH_COMPARE_DUCKDB="$1"
  HEALTH_ENGINES_BUILT=""
  for engine in ${HEALTH_ENGINES:-postgres}; do
    if declare -F "engine_$engine" >/dev/null; then
      "engine_$engine" "$1"
    else
      engines_skip "$engine" "no build step for it in scripts/engines.sh"
    fi
  done
  export HEALTH_ENGINES_BUILT="${HEALTH_ENGINES_BUILT# }"
}
