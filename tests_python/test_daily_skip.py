"""What a daily run skips (scripts/healthwh/build_plan.py daily_args, issue 14).

With the code (models, macros, tests, seeds, dbt_project.yml) byte for byte the
last complete build's, a daily run skips the unit tests and the data tests tagged
health_config_only: they read only the seed CSVs, so they give the result that
build got. Here: the decision (skip only when the stored version equals the
project's; a changed seed, a changed project file, --full-refresh and a first
build run them), that `health build` does not turn the skip into a selection
(no second, config-gate dbt call), and, from the dbt graph, that every tagged
test reads nothing but seeds and models of seeds (no source, var or clock) and
is upstream of int_input_day_digests_built (a failing one stops the build
before it stores the code version).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from healthwh import build_plan, warehouse  # noqa: E402

SKIP = ["--exclude-resource-type", "unit_test", "--exclude", f"tag:{build_plan.CONFIG_ONLY_TAG}"]


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "seeds").mkdir()
    (project / "models" / "m.sql").write_text("select 1 as x\n")
    (project / "seeds" / "health_bands.csv").write_text("band,min_score\ngreen,70\n")
    (project / "dbt_project.yml").write_text("name: p\n")
    return project


def _store(db: Path, code: str) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("create schema if not exists intermediate")
        con.execute("create or replace table intermediate.int_input_day_digests_built as "
                    "select 'project_code' as input_name, date '1900-01-01' as fact_day, "
                    f"1 as n_rows, '{code}' as digest")


def test_config_tests_are_skipped_only_when_code_and_seeds_are_unchanged(tmp_path):
    project = _project(tmp_path)
    db = tmp_path / "health.duckdb"
    assert build_plan.daily_args(db, project)[0] == []  # first build: everything
    _store(db, build_plan.code_version(project))
    args, _, why = build_plan.daily_args(db, project)
    assert args == SKIP
    assert "skipped" in why and build_plan.CONFIG_ONLY_TAG in why
    assert build_plan.daily_args(db, project, full_refresh=True)[0] == []
    # an edited seed value, an edited project file: everything runs again
    (project / "seeds" / "health_bands.csv").write_text("band,min_score\ngreen,75\n")
    assert build_plan.daily_args(db, project)[0] == []
    _store(db, build_plan.code_version(project))
    assert build_plan.daily_args(db, project)[0] == SKIP
    (project / "dbt_project.yml").write_text("name: p\nvars: {a: 1}\n")
    args, _, why = build_plan.daily_args(db, project)
    assert args == [] and "run" in why


def test_the_daily_skip_is_not_a_selection():
    """`health build` runs a separate config-gate dbt call before a narrowed build;
    the daily skip narrows nothing that could fail (else every daily run pays a
    second dbt start-up), any other exclusion still does."""
    assert not warehouse.is_selection(SKIP)
    assert not warehouse.is_selection(["--fail-fast", *SKIP, "--full-refresh"])
    assert warehouse.plan_gate(["build"], SKIP) == (["build", *SKIP], False)
    assert warehouse.is_selection([*SKIP, "--exclude", "stg_config__validation"])
    assert warehouse.is_selection(["--exclude", f"tag:{build_plan.CONFIG_ONLY_TAG}", "marts"])
    assert warehouse.is_selection(["--exclude-resource-type", "unit_test", "test"])
    assert warehouse.is_selection(["--exclude-resource-type", "seed"])
    assert warehouse.is_selection(["--select", "dim_accounts"])


# get_where_subquery's filters (every generic test calls them): they read vars
# and the build plan only for the day-filtered relations and the product-event
# staging relations, never for a seed or a model of seeds
TEST_FILTERS = {f"macro.customer_health.{name}" for name in (
    "health_test_recompute_from", "health_staging_test_conditions")}
CLOCK_OR_VAR = re.compile(r"\bvar\(|env_var\(|current_date|current_timestamp|now\(\)|"
                          r"run_started_at|invocation_id|\bsource\(")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("skip_target")
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), DBT_TARGET_PATH=str(target),
               DBT_LOG_PATH=str(target / "logs"),
               HEALTH_DUCKDB_PATH=str(target / "unused.duckdb"))
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run([str(dbt), "parse", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)],
                   env=env, check=True, capture_output=True)
    return json.loads((target / "manifest.json").read_text())


def check_config_only(manifest: dict) -> list[str]:
    """Problems with the tests tagged health_config_only (empty when sound)."""
    nodes, macros = manifest["nodes"], manifest["macros"]
    tag = build_plan.CONFIG_ONLY_TAG
    problems: list[str] = []

    def macro_reads(uid: str, seen: set) -> list[str]:
        if uid in seen or not uid.startswith("macro.customer_health.") or uid in TEST_FILTERS:
            return []
        seen.add(uid)
        macro = macros[uid]
        found = [uid] if CLOCK_OR_VAR.search(macro["macro_sql"]) else []
        for dep in macro["depends_on"]["macros"]:
            found += macro_reads(dep, seen)
        return found

    def reads_outside(uid: str) -> list[str]:
        """What a node reads besides seeds and models of seeds."""
        node = nodes.get(uid)
        if node is None:
            return [uid]  # a source, a snapshot...
        if node["resource_type"] == "seed":
            return []
        found = [f"{uid} uses a var, clock or source"] if CLOCK_OR_VAR.search(
            node.get("raw_code") or "") else []
        seen: set = set()
        for dep in node["depends_on"].get("macros", []):
            found += [f"{uid} calls {m}" for m in macro_reads(dep, seen)]
        for dep in node["depends_on"].get("nodes", []):
            found += reads_outside(dep)
        return found

    children: dict[str, list[str]] = {}
    for uid, node in nodes.items():
        for dep in (node.get("depends_on") or {}).get("nodes", []):
            children.setdefault(dep, []).append(uid)

    def feeds(uid: str, goal: str, seen: set) -> bool:
        if uid == goal:
            return True
        seen.add(uid)
        return any(feeds(c, goal, seen) for c in children.get(uid, []) if c not in seen)

    stored = "model.customer_health.int_input_day_digests_built"
    tagged = [n for n in nodes.values() if tag in n.get("tags", [])]
    for node in tagged:
        if node["resource_type"] != "test":
            problems.append(f"{node['unique_id']} is tagged {tag} but is not a data test")
            continue
        problems += reads_outside(node["unique_id"])
        for parent in node["depends_on"]["nodes"]:
            if not feeds(parent, stored, set()):
                problems.append(f"{node['unique_id']}: {parent} does not feed {stored}")
    return problems


def test_tagged_tests_read_only_the_config_seeds(manifest):
    tagged = [n for n in manifest["nodes"].values()
              if build_plan.CONFIG_ONLY_TAG in n.get("tags", [])]
    assert len(tagged) >= 50  # the stg_config models' tests
    assert check_config_only(manifest) == []
    # the seeds' own tests carry the tag in their config (their fqn has no
    # folder, so dbt_project.yml cannot reach them): none is left out
    seed_tests = [n for n in manifest["nodes"].values()
                  if n["resource_type"] == "test" and n["original_file_path"] == "seeds/_seeds.yml"]
    assert len(seed_tests) >= 20
    untagged = [n["unique_id"] for n in seed_tests if build_plan.CONFIG_ONLY_TAG not in n["tags"]]
    assert untagged == []


def test_the_check_catches_a_tagged_test_on_data(manifest):
    """Plant a tag on a test of a model that reads the raw data: caught."""
    planted = json.loads(json.dumps(manifest))
    victim = next(n for n in planted["nodes"].values()
                  if n["resource_type"] == "test"
                  and any(d.endswith(".dim_accounts") for d in n["depends_on"]["nodes"]))
    victim["tags"] = [*victim.get("tags", []), build_plan.CONFIG_ONLY_TAG]
    assert any("source." in p for p in check_config_only(planted))


def day_filter_callers_not_after_the_plan(manifest: dict) -> list[str]:
    """Relations and tests that read int_build_plan's recompute_from through
    health_test_recompute_from (cached once per invocation) without being
    downstream of int_build_plan: they could run before this build wrote it."""
    nodes = manifest["nodes"]
    plan = "model.customer_health.int_build_plan"
    memo: dict[str, bool] = {}

    def after_plan(uid: str) -> bool:
        if uid not in memo:
            memo[uid] = False
            deps = nodes[uid]["depends_on"].get("nodes", []) if uid in nodes else []
            memo[uid] = plan in deps or any(after_plan(d) for d in deps)
        return memo[uid]

    late = []
    for uid, node in nodes.items():
        config = node.get("config") or {}
        hooks = config.get("pre-hook") or config.get("pre_hook") or []
        hook_sql = " ".join(h.get("sql", "") for h in hooks)
        flagged = (config.get("meta") or {}).get("health_day_filtered")
        filtered = node["resource_type"] == "model" and (
            "health_incremental_delete" in hook_sql or flagged)
        raw = node.get("raw_code") or ""
        calls = node["resource_type"] == "test" and "health_test_day_filter" in raw
        if (filtered or calls) and not after_plan(uid):
            late.append(uid)
    return late


def test_day_filtered_relations_are_downstream_of_the_plan(manifest):
    assert day_filter_callers_not_after_the_plan(manifest) == []
    # planted: a flagged view that does not read the plan's descendants is caught
    planted = json.loads(json.dumps(manifest))
    view = planted["nodes"]["model.customer_health.int_metric_subscores_wide"]
    assert view["config"]["meta"].get("health_day_filtered")
    view["depends_on"]["nodes"] = ["seed.customer_health.health_metrics"]
    assert day_filter_callers_not_after_the_plan(planted) == [view["unique_id"]]
