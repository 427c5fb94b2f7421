#!/usr/bin/env bash
# Local database services for the cross-engine checks (docs/engines.md).
#   bash scripts/services.sh pg-start    install (apt, when missing) and start a private Postgres
#   bash scripts/services.sh pg-stop     stop it and remove its data directory
#   bash scripts/services.sh pg-status   exit 0 when it answers
#   bash scripts/services.sh pg-env      print the HEALTH_PG_* exports of the running cluster
#
# The cluster is private to this checkout: its own data directory
# (HEALTH_PG_DIR, default /tmp/health-pg-<hash of the repo path>), listening on
# 127.0.0.1 only, on a free port, trust auth for local connections, run as the
# `postgres` system user when started by root (Postgres refuses to run as root).
# Limits for a shared machine: HEALTH_PG_MEMORY_KB (address space of each
# backend, default 3000000 = ~3 GB), HEALTH_PG_WORK_MEM (default 32MB),
# HEALTH_PG_STATEMENT_TIMEOUT (default 10min).
# `pg-start` writes $HEALTH_PG_DIR/env; scripts/check.sh sources it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
hash=$(printf '%s' "$ROOT" | sha256sum | cut -c1-10)
PGDIR=${HEALTH_PG_DIR:-/tmp/health-pg-$hash}
DATA="$PGDIR/data"
ENVFILE="$PGDIR/env"
# server limits (see pg_start): per-backend address space, per-sort memory,
# longest statement
PG_MEMORY_KB=${HEALTH_PG_MEMORY_KB:-3000000}
PG_WORK_MEM=${HEALTH_PG_WORK_MEM:-32MB}
PG_STATEMENT_TIMEOUT=${HEALTH_PG_STATEMENT_TIMEOUT:-10min}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

install_pg() {
  pg_bin >/dev/null && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "services: Postgres is not installed and there is no apt-get; install PostgreSQL >= 13" >&2
    return 3
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
    else echo "services: Postgres is not installed and apt-get needs root" >&2; return 3; fi
  fi
  echo "==> installing postgresql (apt-get)"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bin >/dev/null
}

# run a command as the cluster owner (postgres when we are root)
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

pg_start() {
  install_pg
  local bin port
  bin=$(pg_bin)
  if [ -f "$ENVFILE" ] && pg_status_quiet; then
    echo "==> Postgres already running ($(grep HEALTH_PG_PORT "$ENVFILE"))"
    return 0
  fi
  rm -rf "$PGDIR"
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  as_owner "$bin/initdb" -D "$DATA" -U health --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || as_owner "$bin/initdb" -D "$DATA" -U health --auth=trust -E UTF8 >/dev/null
  port=$(free_port)
  # A shared, small machine: each backend's address space is capped (ulimit -v,
  # inherited by every backend), so a runaway query fails with "out of memory"
  # instead of the kernel's OOM killer taking the machine; work_mem bounds each
  # sort / hash before it spills to disk; statement_timeout stops a query that
  # never ends.
  ( ulimit -v "$PG_MEMORY_KB"
    as_owner "$bin/pg_ctl" -D "$DATA" -w -t 60 -l "$PGDIR/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC -c work_mem=$PG_WORK_MEM -c statement_timeout=$PG_STATEMENT_TIMEOUT -c max_connections=20" \
      start >/dev/null )
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U health health
  cat > "$ENVFILE" <<EOF
export HEALTH_PG_HOST=127.0.0.1
export HEALTH_PG_PORT=$port
export HEALTH_PG_USER=health
export HEALTH_PG_PASSWORD=
export HEALTH_PG_DATABASE=health
EOF
  echo "==> Postgres $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $DATA)"
}

pg_status_quiet() {
  local bin
  bin=$(pg_bin) || return 1
  [ -d "$DATA" ] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

pg_stop() {
  local bin
  if bin=$(pg_bin) && [ -d "$DATA" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR"
}

case "${1:-}" in
  pg-start) pg_start ;;
  pg-stop) pg_stop ;;
  pg-status) pg_status_quiet ;;
  pg-env) cat "$ENVFILE" ;;
  *) echo "usage: bash scripts/services.sh {pg-start|pg-stop|pg-status|pg-env}" >&2; exit 2 ;;
esac
