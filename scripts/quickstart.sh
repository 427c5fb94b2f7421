#!/usr/bin/env bash
# One entry point for a fresh machine that has Python 3.11:
#   bash scripts/quickstart.sh run    set up, generate demo data, build, report
#   bash scripts/quickstart.sh test   set up, lint, build + test on small data, pytest
#   bash scripts/quickstart.sh setup  only create .venv and install pinned deps
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
  # Reinstall only when the pins change.
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  have=$(cat .venv/.install-stamp 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    echo "==> installing pinned dependencies (requirements.txt)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > .venv/.install-stamp
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
  export DBT_PROFILES_DIR="$ROOT"
}

case "${1:-}" in
  setup)
    setup ;;
  run)
    setup
    shift
    .venv/bin/python scripts/health.py run "$@" ;;
  test)
    setup
    shift
    bash scripts/check.sh "$@" ;;
  *)
    echo "usage: bash scripts/quickstart.sh {run|test|setup}" >&2
    exit 2 ;;
esac
