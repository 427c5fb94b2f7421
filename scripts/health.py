#!/usr/bin/env python3
"""Customer health warehouse CLI: generate, build, report, calibrate, export, run.

Run `python scripts/health.py --help` for the commands, options and exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from healthwh.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
