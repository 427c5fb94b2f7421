#!/usr/bin/env python3
"""Customer health warehouse CLI: generate, build, report, calibrate, export, run.

The installed command is `health` (`pip install --no-deps -e .`, see pyproject.toml);
this file runs the same CLI from a checkout without the install, e.g. in scripts/check.sh
(`python scripts/health.py ...`: Python puts scripts/ on the module path itself).
"""

from __future__ import annotations

import sys

from healthwh.cli import main

if __name__ == "__main__":
    sys.exit(main())
