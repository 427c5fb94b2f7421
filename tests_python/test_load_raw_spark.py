"""The Spark raw loader opens the metastore dbt opens, and keeps UTC (no JVM here).

scripts/healthwh/load_raw_spark.py builds its Spark session from the `spark`
output of profiles.yml, so the tables it writes are the ones dbt-spark's
session reads; a timestamp without zone is marked UTC so Spark reads it as
its session-zone `timestamp`, not `timestamp_ntz`.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from healthwh import load_raw_spark


def test_session_conf_is_the_profiles(monkeypatch, tmp_path, repo_root):
    monkeypatch.setenv("HEALTH_SPARK_DIR", str(tmp_path))
    monkeypatch.setenv("HEALTH_SPARK_SHUFFLE_PARTITIONS", "3")
    conf = load_raw_spark.spark_conf(repo_root)
    assert conf["spark.sql.warehouse.dir"] == f"{tmp_path}/warehouse"
    assert f"-Dderby.system.home={tmp_path}" in conf["spark.driver.extraJavaOptions"]
    assert conf["spark.sql.shuffle.partitions"] == "3"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.sql.ansi.enabled"] == "false"  # as dbt-spark's session forces it
    assert all("{{" not in v for v in conf.values())


def test_timestamps_are_marked_utc_and_keep_their_instant():
    naive = dt.datetime(2026, 3, 10, 23, 30, 0, 123456)
    table = pa.table({
        "occurred_at": pa.array([naive, None], pa.timestamp("us")),
        "day": pa.array([dt.date(2026, 3, 10), None], pa.date32()),
        "note": ["a", None],
    })
    out = load_raw_spark._utc_timestamps(table)
    assert out.schema.field("occurred_at").type == pa.timestamp("us", tz="UTC")
    assert out.schema.field("day").type == pa.date32()
    assert out.column("occurred_at")[0].as_py() == naive.replace(tzinfo=dt.UTC)
    assert out.column("occurred_at")[1].as_py() is None
    assert out.column("note").to_pylist() == ["a", None]
