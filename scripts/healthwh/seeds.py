"""What the Python side reads from the config seeds (seeds/*.csv), each in one place.

The component list has one home, seeds/health_components.csv (dbt reads the same seed
through `scoring_components()`): adding a component is seed rows and a metrics model,
never an edit here. Report, calibrate and the tests take the list from `components()`.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"
WEIGHTS_SEED = SEEDS_DIR / "health_weights.csv"
COMPONENTS_SEED = SEEDS_DIR / "health_components.csv"


@lru_cache(maxsize=8)
def components(components_seed: Path = COMPONENTS_SEED) -> tuple[str, ...]:
    """The scoring components in display order: the `component` column of the
    health_components seed sorted by `display_order` (trimmed, lower-cased as the
    warehouse compares them)."""
    with Path(components_seed).open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"component", "display_order"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{components_seed}: no {sorted(missing)} column (the component "
                             "list lives there)")
        rows = [((row["component"] or "").strip().lower(), float(row["display_order"] or 0))
                for row in reader]
    names = [name for name, _ in sorted((r for r in rows if r[0]), key=lambda r: r[1])]
    if not names:
        raise ValueError(f"{components_seed}: no component rows")
    return tuple(dict.fromkeys(names))
