"""The HTML report: self-contained, draws every section from contract-shaped tables,
degrades to notes when tables are missing, and renders in headless Chromium."""

from __future__ import annotations

import math
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from healthwh import report  # noqa: E402

COMPONENTS = ("usage", "value", "billing", "support", "sentiment")
BANDS = (("at_risk", 0, 40, 1, "#d64545"), ("watch", 40, 70, 2, "#e0a030"),
         ("healthy", 70, 100, 3, "#3a9a5b"))
SEGMENTS = ("smb", "mid_market", "enterprise")


def _band(score: float) -> str:
    return "at_risk" if score < 40 else ("watch" if score < 70 else "healthy")


def _insert(con, table: str, rows: list) -> None:
    """Bulk insert (executemany is slow in DuckDB)."""
    import pandas as pd

    cols = [c[0] for c in con.execute(f"select * from {table} limit 0").description]
    frame = pd.DataFrame([list(r) for r in rows], columns=cols)
    con.register("rows_to_insert", frame)
    con.execute(f"insert into {table} select * from rows_to_insert")
    con.unregister("rows_to_insert")


def make_marts(db_path: Path, n_accounts: int = 30, n_days: int = 120,
               skip: tuple[str, ...] = ()) -> Path:
    """A tiny warehouse with the contract's mart tables (deterministic, hand-made).

    skip: table names to leave out (to test graceful degradation).
    """
    con = duckdb.connect(str(db_path))
    for schema in ("config", "marts", "backtest"):
        con.execute(f"create schema if not exists {schema}")
    con.execute("create or replace table config.health_bands (band varchar, min_score double, "
                "max_score double, rank integer, color varchar, action varchar)")
    _insert(con, "config.health_bands", [[*b, "act"] for b in BANDS])
    start = date(2026, 1, 1)
    as_of = start + timedelta(days=n_days - 1)
    daily, comps, current = [], [], []
    for a in range(n_accounts):
        acct = f"A{a:05d}"
        seg = SEGMENTS[a % 3]
        base = 15 + (a * 37) % 80
        for d in range(n_days):
            day = start + timedelta(days=d)
            score = max(0.0, min(100.0, base + 12 * math.sin((d + a) / 15) - d * (a % 4) / 20))
            daily.append((acct, day, seg, round(score, 2), _band(score), "usage"))
        lost_total = 100 - score
        shares = [((a + i) % 5 + 1) for i in range(5)]
        for comp, share in zip(COMPONENTS, shares, strict=True):
            comps.append((acct, as_of, comp, round(lost_total * share / sum(shares), 3)))
        driver = COMPONENTS[shares.index(max(shares))]
        mrr = 100.0 * (1 + a % 7) * (1 + SEGMENTS.index(seg))
        current.append((acct, f"Account {a} GmbH", seg, as_of, round(score, 2), _band(score),
                        12 * mrr, driver, f"csm{a % 4}", "cfg123abc"))
    if "fct_account_health_daily" not in skip:
        con.execute("create or replace table marts.fct_account_health_daily (account_id varchar, "
                    "date_day date, segment varchar, health_score double, band varchar, "
                    "primary_driver varchar)")
        _insert(con, "marts.fct_account_health_daily", daily)
    if "fct_account_health_components" not in skip:
        con.execute("create or replace table marts.fct_account_health_components (account_id "
                    "varchar, date_day date, component varchar, points_lost double)")
        _insert(con, "marts.fct_account_health_components", comps)
    if "account_health_current" not in skip:
        con.execute("create or replace table marts.account_health_current (account_id varchar, "
                    "account_name varchar, segment varchar, as_of_date date, health_score double,"
                    " band varchar, arr double, primary_driver varchar, csm_owner varchar, "
                    "config_version varchar)")
        _insert(con, "marts.account_health_current", current)
    if "rpt_at_risk_queue" not in skip:
        con.execute(
            "create or replace table marts.rpt_at_risk_queue as "
            "select row_number() over (order by (100 - health_score) * arr desc, account_id) "
            "as queue_rank, account_id, account_name, segment, as_of_date, health_score, band, "
            "arr, primary_driver, csm_owner, 'Re-onboard the team' as next_action, "
            "-5.0 as score_change_28d from marts.account_health_current where health_score < 40"
            if "account_health_current" not in skip else
            "create or replace table marts.rpt_at_risk_queue (queue_rank integer, account_id "
            "varchar, health_score double, arr double)"
        )
    if "rpt_driver_summary" not in skip:
        con.execute("create or replace table marts.rpt_driver_summary (month_start date, segment "
                    "varchar, component varchar, at_risk_accounts integer, driver_accounts "
                    "integer, points_lost double)")
        rows = []
        for m in range(4):
            for s_i, seg in enumerate(SEGMENTS):
                for c_i, comp in enumerate(COMPONENTS):
                    rows.append((date(2026, 1 + m, 1), seg, comp, 20,
                                 (m + s_i * 2 + c_i * 3) % 7, 10.0 * c_i))
        _insert(con, "marts.rpt_driver_summary", rows)
    if "backtest_band_separation" not in skip:
        con.execute("create or replace table backtest.backtest_band_separation (slice_type "
                    "varchar, slice_value varchar, band varchar, band_rank integer, "
                    "observations integer, churned integer, churn_rate double, churn_lift double)")
        rows = []
        for slice_type, value, scale in [("overall", "all", 1.0), ("segment", "smb", 1.3),
                                         ("segment", "enterprise", 0.6)]:
            for rank, (band, rate) in enumerate([("at_risk", 0.31), ("watch", 0.12),
                                                 ("healthy", 0.04)], start=1):
                n = int(400 * scale)
                rows.append((slice_type, value, band, rank, n, int(n * rate * scale),
                             rate * scale, rate * scale / 0.1))
        _insert(con, "backtest.backtest_band_separation", rows)
    if "backtest_summary" not in skip:
        con.execute("create or replace table backtest.backtest_summary as select 1200 as "
                    "observations, 0.1::double as base_churn_rate, 0.78::double as auc_churn, "
                    "0.41::double as ks_churn, 7.75::double as churn_rate_ratio_lowest_vs_highest"
                    ", true as is_churn_monotonic, 0.64::double as csm_agreement_rate")
    con.close()
    return db_path


@pytest.fixture()
def marts_db(tmp_path) -> Path:
    return make_marts(tmp_path / "warehouse.duckdb")


def _svg_count(html: str) -> int:
    return len(re.findall(r"<svg ", html))


def test_report_is_self_contained_and_draws_every_chart(marts_db, tmp_path):
    out = report.write_report(marts_db, tmp_path / "report.html")
    html = out.read_text()
    # no network: no external scripts, stylesheets, images or fonts
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "@import" not in html and "url(http" not in html
    # separation, 4 histograms (all + 3 segments), queue, 12 histories
    assert _svg_count(html) >= 1 + 4 + 1 + 12
    for anchor in ("separation", "distribution", "queue", "history", "drivers"):
        assert f'id="{anchor}"' in html
    assert "class=\"note\"" not in html, "no section should degrade on a complete warehouse"
    # the band thresholds of the seed are drawn on the history chart
    assert ">40</text>" in html and ">70</text>" in html
    # the queue is ranked: rank 1 of the table comes first in the chart
    con = duckdb.connect(str(marts_db), read_only=True)
    top = con.execute("select account_name from marts.rpt_at_risk_queue order by queue_rank "
                      "limit 1").fetchone()[0]
    con.close()
    assert f"1. {top}" in html
    assert "AUC" in html and "0.78" in html


def test_report_degrades_to_notes_when_tables_are_missing(tmp_path):
    db = make_marts(tmp_path / "partial.duckdb",
                    skip=("backtest_band_separation", "backtest_summary", "rpt_driver_summary",
                          "fct_account_health_components"))
    html = report.render(db)
    assert "backtest.backtest_band_separation is not in this database yet" in html
    assert "marts.rpt_driver_summary is not in this database yet" in html
    assert "bars are empty" in html  # no component points
    assert 'id="history"' in html and _svg_count(html) >= 5


def test_report_on_an_empty_database(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    html = report.render(db)
    assert html.count('class="note"') >= 5
    assert "<svg" not in html


def test_account_option_puts_that_account_first(marts_db):
    html = report.render(marts_db, account="A00007", histories=3)
    first = re.search(r'class="hist" data-account="([^"]+)"', html)
    assert first and first.group(1) == "A00007"
    assert html.count('class="hist') == 3
    html = report.render(marts_db, account="NOPE", histories=2)
    assert "Account NOPE has no scores" in html


def test_report_is_deterministic(marts_db):
    assert report.render(marts_db) == report.render(marts_db)


def test_report_opens_the_database_read_only(marts_db):
    # a reader holding a read-only connection must not block the report, and vice versa
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        assert "<svg" in report.render(marts_db)
    finally:
        con.close()


@pytest.mark.skipif(report.find_chromium() is None, reason="no Chromium installed")
def test_report_renders_in_headless_chromium(marts_db, tmp_path):
    html = report.write_report(marts_db, tmp_path / "report.html")
    png = report.screenshot(html, tmp_path / "report.png", width=1000, height=900)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.skipif(report.find_chromium() is None, reason="no Chromium installed")
def test_account_switcher_script_runs_in_chromium(marts_db, tmp_path):
    """The inline JS works offline: report.html#<id> shows that account's history."""
    import subprocess

    html = report.write_report(marts_db, tmp_path / "report.html", histories=4)
    first = re.search(r'class="hist" data-account="([^"]+)"', html.read_text()).group(1)
    other = re.findall(r'class="hist hidden" data-account="([^"]+)"', html.read_text())[0]
    proc = subprocess.run(
        [report.find_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         html.resolve().as_uri() + "#" + other],
        capture_output=True, text=True, timeout=120, check=True,
    )
    dom = proc.stdout
    assert f'class="hist" data-account="{other}"' in dom
    assert f'class="hist hidden" data-account="{first}"' in dom
