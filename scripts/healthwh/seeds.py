"""What the Python side reads from the config seeds (seeds/*.csv), each in one place.

The component list has one home, the `component` column of seeds/health_weights.csv
(dbt reads the same seed): adding a component is seed rows and a metrics model, never
an edit here. Report, calibrate and the tests take the list from `components()`.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"
WEIGHTS_SEED = SEEDS_DIR / "health_weights.csv"


@lru_cache(maxsize=8)
def components(weights_seed: Path = WEIGHTS_SEED) -> tuple[str, ...]:
    """The scoring components in display order: the distinct values of the
    health_weights seed's `component` column, in order of first appearance
    (trimmed, lower-cased as the warehouse compares them)."""
    with Path(weights_seed).open(newline="") as handle:
        reader = csv.DictReader(handle)
        if "component" not in (reader.fieldnames or []):
            raise ValueError(f"{weights_seed}: no `component` column (the component list "
                             "lives there)")
        seen: dict[str, None] = {}
        for row in reader:
            name = (row["component"] or "").strip().lower()
            if name:
                seen.setdefault(name, None)
    if not seen:
        raise ValueError(f"{weights_seed}: no component rows")
    return tuple(seen)
