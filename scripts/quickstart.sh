#!/usr/bin/env bash
# One entry point for a fresh machine that has Python 3.11:
#   bash scripts/quickstart.sh run    set up, generate demo data, build, report
#   bash scripts/quickstart.sh test   set up, lint, build + test on small data, pytest
#   bash scripts/quickstart.sh setup  only create .venv, install the pinned deps and the
#                                     project itself (the `health` command)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

setup() {
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $($PY --version)"
    "$PY" -m venv .venv
  fi
  # Reinstall only when the pins or the package metadata change. The pins come from
  # requirements.txt; the project goes on top of them, editable and without deps, so
  # `health` runs this checkout's code and dbt project.
  want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
  have=$(cat .venv/.install-stamp 2>/dev/null || true)
  if [ "$want" != "$have" ] || [ ! -x .venv/bin/health ]; then
    echo "==> installing pinned dependencies (requirements.txt) and the health command"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$want" > .venv/.install-stamp
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
  export DBT_PROFILES_DIR="$ROOT"
}

# Headless Chromium for the report's layout tests and screenshots (tests_python/
# test_report.py). Idempotent and non-interactive; skipped quietly where there is no
# apt-get or no root (the Chromium tests then skip, saying why).
install_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
     || command -v google-chrome >/dev/null 2>&1; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else return 0; fi
  fi
  echo "==> installing chromium (headless report checks)"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends chromium; } >/dev/null 2>&1 \
    || echo "    (chromium could not be installed: its report tests will be skipped)"
}

case "${1:-}" in
  setup)
    setup ;;
  run)
    setup
    shift
    .venv/bin/health run "$@" ;;
  test)
    setup
    install_chromium
    shift
    bash scripts/check.sh "$@" ;;
  *)
    echo "usage: bash scripts/quickstart.sh {run|test|setup}" >&2
    exit 2 ;;
esac
