#!/usr/bin/env python3
"""Customer health warehouse CLI (placeholder: the full CLI lands with issue 6)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from healthwh import generate  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "generate":
        return generate.main(argv[1:])
    print("usage: health.py generate [options]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
