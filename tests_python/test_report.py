"""The HTML report: self-contained, draws every section from contract-shaped tables,
degrades to notes when tables are missing, measures the alert revert rate, and renders
in headless Chromium at desktop and phone width."""

from __future__ import annotations

import json
import math
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml
from healthwh import report, svg
from healthwh.seeds import components

ROOT = Path(__file__).resolve().parents[1]
COMPONENTS = components()
BANDS = (("at_risk", 0, 40, 1, "#d64545"), ("watch", 40, 70, 2, "#e0a030"),
         ("healthy", 70, 100, 3, "#3a9a5b"))
SEGMENTS = ("smb", "mid_market", "enterprise")
SECTION_IDS = ("this-week", "week-bands", "week-movers", "week-queue", "queue", "week-alerts",
               "week-renewals", "points", "expansion", "owners", "segments", "lookup", "separation",
               "distribution", "drivers")
# the account whose score is 39.78 today (at_risk): shown as 39.7, never 40
EDGE_ACCOUNT = "A00003"


def _band(score: float) -> str:
    return "at_risk" if score < 40 else ("watch" if score < 70 else "healthy")


def _rank(band: str) -> int:
    return {"at_risk": 1, "watch": 2, "healthy": 3}[band]


def _insert(con, table: str, rows: list) -> None:
    """Bulk insert (executemany is slow in DuckDB)."""
    import pandas as pd

    cols = [c[0] for c in con.execute(f"select * from {table} limit 0").description]
    frame = pd.DataFrame([list(r) for r in rows], columns=cols)
    con.register("rows_to_insert", frame)
    con.execute(f"insert into {table} select * from rows_to_insert")
    con.unregister("rows_to_insert")


def contract_columns() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, data_type)] of every contracted model of the marts
    and the backtest, and of the bands seed (config.health_bands), from their yml."""
    out = {}
    for schema, path in (("marts", "models/marts/_marts__models.yml"),
                         ("backtest", "models/backtest/_backtest__models.yml"),
                         ("config", "seeds/_seeds.yml")):
        doc = yaml.safe_load((ROOT / path).read_text())
        for node in doc.get("models", []) + doc.get("seeds", []):
            if schema == "config" and node["name"] != "health_bands":
                continue
            cols = node.get("columns", [])
            out[(schema, node["name"])] = [
                (c["name"], c.get("data_type") or "varchar") for c in cols]
    return out


def complete_to_contract(con) -> None:
    """Give each hand-made table every contracted column it lacks (null): the report
    reads columns by their contracted names, as the real marts have them."""
    tables = {(s, t) for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    for (schema, table), cols in contract_columns().items():
        if (schema, table) not in tables:
            continue
        have = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? "
            "and table_name = ?", [schema, table]).fetchall()}
        for name, data_type in cols:
            if name not in have:
                kind = data_type if data_type in ("boolean", "date", "double", "integer",
                                                  "bigint") else "varchar"
                con.execute(f'alter table {schema}.{table} add column "{name}" {kind}')


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
        scores = []
        for d in range(n_days):
            day = start + timedelta(days=d)
            score = max(0.0, min(100.0, base + 12 * math.sin((d + a) / 15) - d * (a % 4) / 20))
            if acct == EDGE_ACCOUNT and d == n_days - 1:
                score = 39.78
            score = round(score, 2)
            scores.append(score)
            daily.append((acct, day, seg, score, _band(score), _rank(_band(score)), "usage"))
        lost_total = 100 - score
        shares = [((a + i) % 5 + 1) for i in range(5)]
        for comp, share in zip(COMPONENTS, shares, strict=True):
            comps.append((acct, as_of, comp, round(lost_total * share / sum(shares), 3)))
        driver = COMPONENTS[shares.index(max(shares))]
        mrr = 100.0 * (1 + a % 7) * (1 + SEGMENTS.index(seg))
        change_7d = round(score - scores[-8], 2)
        current.append((acct, f"Account {a} GmbH", seg, as_of, score, _band(score),
                        12 * mrr + 0.4, driver, f"csm{a % 4}", "cfg123abc", change_7d,
                        as_of + timedelta(days=10 + 7 * a), 10 + 7 * a))
    if "fct_account_health_daily" not in skip:
        con.execute("create or replace table marts.fct_account_health_daily (account_id varchar, "
                    "date_day date, segment varchar, health_score double, band varchar, "
                    "band_rank integer, primary_driver varchar)")
        _insert(con, "marts.fct_account_health_daily", daily)
    if "fct_account_health_components" not in skip:
        con.execute("create or replace table marts.fct_account_health_components (account_id "
                    "varchar, date_day date, component varchar, points_lost double)")
        _insert(con, "marts.fct_account_health_components", comps)
    if "account_health_current" not in skip:
        con.execute("create or replace table marts.account_health_current (account_id varchar, "
                    "account_name varchar, segment varchar, as_of_date date, health_score double,"
                    " band varchar, arr double, primary_driver varchar, csm_owner varchar, "
                    "config_version varchar, score_change_7d double, next_renewal_date date, "
                    "days_to_renewal integer)")
        _insert(con, "marts.account_health_current", current)
    if "rpt_at_risk_queue" not in skip:
        con.execute(
            "create or replace table marts.rpt_at_risk_queue as "
            "select row_number() over (order by (100 - health_score) * arr desc, account_id) "
            "as queue_rank, account_id, account_name, segment, as_of_date, health_score, "
            "health_score + case when account_id = 'A00000' then 25 else 0 end "
            "as health_score_uncapped, band, arr, primary_driver, "
            "case when account_id = 'A00000' then 'cap' when account_id = 'A00003' "
            "then 'override' else 'component' end as driver_type, "
            "case when account_id = 'A00000' then 'past_due_30d' when account_id = 'A00003' "
            "then 'override' else primary_driver end as driver, "
            "case when account_id = 'A00000' then 'past_due_30d' end as cap_rule, "
            "case when account_id = 'A00003' then 'Migration freeze' end as override_reason, "
            "case when account_id = 'A00003' then date '2026-06-30' end as override_expires_on, "
            "csm_owner, case when account_id = 'A00000' then 'finance' else 'csm' end "
            "as owner_role, 'Re-onboard the team: retrain users and fix the workflow friction "
            "that stopped usage, then confirm the adoption plan with the sponsor' as next_action,"
            " score_change_7d, -5.0 as score_change_28d "
            "from marts.account_health_current where health_score < 40"
            if "account_health_current" not in skip else
            "create or replace table marts.rpt_at_risk_queue (queue_rank integer, account_id "
            "varchar, health_score double, arr double)"
        )
    if "rpt_health_alerts" not in skip:
        con.execute("create or replace table marts.rpt_health_alerts (alert_date date, account_id "
                    "varchar, alert_type varchar, alert_detail varchar, account_name varchar, "
                    "csm_owner varchar, segment varchar, health_score double, band varchar, "
                    "from_band varchar, band_hold_days integer, band_margin_points double)")
        rows = []
        for a in range(0, n_accounts, 3):
            day = as_of - timedelta(days=a % 10)
            rows.append((day, f"A{a:05d}", ("band_drop", "cap_triggered", "recovered")[a % 3],
                         "Band dropped from watch to at_risk (held 3 days)", f"Account {a} GmbH",
                         f"csm{a % 4}", SEGMENTS[a % 3], 30.0, "at_risk", "watch", 3, 5.0))
        _insert(con, "marts.rpt_health_alerts", rows)
    if "rpt_renewal_window" not in skip:
        con.execute("create or replace table marts.rpt_renewal_window as select account_id, "
                    "account_name, segment, csm_owner, arr, next_renewal_date, days_to_renewal, "
                    "case when account_id < 'A00005' then 1 else 12 end as term_months, "
                    "case when days_to_renewal <= 30 then '30' when days_to_renewal <= 90 then "
                    "'90' else '180' end as renewal_stage, health_score as renewal_score, band "
                    "as renewal_band, -2.5 as renewal_score_change_since_window_open, "
                    "health_score, band, primary_driver as renewal_primary_driver "
                    "from marts.account_health_current where days_to_renewal <= 180"
                    if "account_health_current" not in skip else
                    "create or replace table marts.rpt_renewal_window (account_id varchar)")
    if "rpt_expansion_candidates" not in skip:
        con.execute("create or replace table marts.rpt_expansion_candidates as select "
                    "row_number() over (order by arr desc, account_id) as expansion_rank, "
                    "account_id, account_name, segment, csm_owner, arr, health_score, band, "
                    "0.95 as seat_utilization_28d, 1.2 as usage_trend_7d_28d, 3.0 as "
                    "days_since_last_value_event, true as has_seat_signal, false as "
                    "has_usage_signal, true as has_value_signal, 2 as signal_count, "
                    "'Seat expansion' as expansion_motion, days_to_renewal "
                    "from marts.account_health_current where health_score >= 70"
                    if "account_health_current" not in skip else
                    "create or replace table marts.rpt_expansion_candidates (account_id varchar)")
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
    complete_to_contract(con)
    con.close()
    return db_path


@pytest.fixture(scope="module")
def marts_db(tmp_path_factory) -> Path:
    """Shared by the module: read it, never write to it."""
    return make_marts(tmp_path_factory.mktemp("marts") / "warehouse.duckdb")


@pytest.fixture(scope="module")
def report_html(marts_db) -> str:
    return report.render(marts_db)


def _markup(html: str) -> str:
    """The page without its scripts (the lookup script builds SVG text too)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


def _svg_count(html: str) -> int:
    return len(re.findall(r"<svg ", _markup(html)))


def _lookup(html: str) -> dict:
    payload = re.search(r'<script type="application/json" id="lookup-data">(.*?)</script>', html)
    return json.loads(payload.group(1).replace("<\\/", "</"))


def test_report_is_self_contained_and_draws_every_section(marts_db, report_html):
    html = report_html
    # no network: no external scripts, stylesheets, images or fonts
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert "@import" not in html and "url(http" not in html
    # separation (wide + narrow), 4 histograms, queue points (wide + narrow), lookup chart
    assert _svg_count(html) >= 2 + 4 + 2 + 1
    for anchor in SECTION_IDS:
        assert f'id="{anchor}"' in html, anchor
    assert "class=\"note\"" not in html, "no section should degrade on a complete warehouse"
    # "this week" is the first section
    assert html.index('<section id="this-week"') < min(
        html.index(f'<section id="{a}"') for a in ("points", "lookup", "separation"))
    # the band thresholds of the seed are drawn on the history chart
    assert ">40</text>" in html and ">70</text>" in html
    # the queue is ranked: rank 1 of the table comes first in the chart
    con = duckdb.connect(str(marts_db), read_only=True)
    top = con.execute("select account_name from marts.rpt_at_risk_queue order by queue_rank "
                      "limit 1").fetchone()[0]
    con.close()
    assert f"1. {top}" in html
    assert "AUC" in html and "0.78" in html


def test_queue_shows_binding_driver_override_owner_role_and_csm(report_html):
    queue = report_html[report_html.index('id="week-queue"'):report_html.index('id="week-alerts"')]
    for head in ("7-day change", "driver", "override", "next action", "owner role", "CSM"):
        assert f"<th>{head}</th>" in queue
    assert "past_due_30d" in queue and "−25.0 pts" in queue          # the cap and what it costs
    assert "Migration freeze" in queue and "until 2026-06-30" in queue
    assert "finance" in queue and "csm0" in queue
    # did the week move the driver? (the fixture's drivers were all usage 7 days ago)
    assert "(7 days ago: usage)" in queue
    # the whole action, not cut off
    assert "confirm the adoption plan with the sponsor" in queue


def test_scores_round_down_like_the_band_and_money_has_one_format(report_html):
    """39.78 is at_risk (< 40): it must never read 40."""
    assert svg.fmt_score(39.78) == "39.7" and svg.fmt_score(40) == "40.0"
    assert svg.fmt_score(5.3) == "5.3" and svg.fmt_score(69.999) == "69.9"
    queue = report_html[report_html.index('id="week-queue"'):]
    row = re.search(r"Account 3 GmbH</a>.*?</tr>", queue, re.S).group(0)
    assert "39.7" in row and "40.0" not in row
    assert _lookup(report_html)["accounts"][3]["s"] == "39.7"
    # money: whole units with thousands separators everywhere, no 128k / 1.9M
    assert not re.search(r"ARR[^<]{0,40}\d(k|M)\b", report_html)
    assert svg.fmt_money(128_400.4) == "128,400" and svg.fmt_money(8605) == "8,605"


def test_lookup_reaches_every_current_customer(marts_db, report_html):
    data = _lookup(report_html)
    con = duckdb.connect(str(marts_db), read_only=True)
    ids = [r[0] for r in con.execute(
        "select account_id from marts.account_health_current order by 1").fetchall()]
    con.close()
    assert len(ids) > 12
    assert [a["id"] for a in data["accounts"]] == ids
    assert all(len(a["h"]) == len(data["days"]) for a in data["accounts"])
    # one history value per grid day: the last is today's floored score x 10
    edge = next(a for a in data["accounts"] if a["id"] == EDGE_ACCOUNT)
    assert edge["h"][-1] == 397
    assert report_html.count("<option value=") == len(ids)


def test_report_degrades_to_notes_when_tables_are_missing(tmp_path):
    db = make_marts(tmp_path / "partial.duckdb",
                    skip=("backtest_band_separation", "backtest_summary", "rpt_driver_summary",
                          "fct_account_health_components", "rpt_health_alerts",
                          "rpt_expansion_candidates"))
    html = report.render(db)
    assert "backtest.backtest_band_separation is not in this database yet" in html
    assert "marts.rpt_driver_summary is not in this database yet" in html
    assert "marts.rpt_health_alerts is not in this database yet" in html
    assert "marts.rpt_expansion_candidates is not in this database yet" in html
    assert "bars are empty" in html  # no component points
    assert 'id="lookup"' in html and _svg_count(html) >= 5


def test_report_on_an_empty_database(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    html = report.render(db)
    assert html.count('class="note"') >= 5
    assert "<svg" not in _markup(html)


def test_account_option_shows_that_account_first(marts_db):
    html = report.render(marts_db, account="A00007", histories=3)
    assert 'id="acct-facts" data-account="A00007"' in html
    assert _lookup(html)["start"] == "A00007"
    assert html.count('class="chip"') == 3
    html = report.render(marts_db, account="NOPE", histories=2)
    assert "Account NOPE has no scores" in html


def test_report_is_deterministic(marts_db, report_html):
    assert report.render(marts_db) == report_html


def test_report_opens_the_database_read_only(marts_db):
    # a reader holding a read-only connection must not block the report, and vice versa
    con = duckdb.connect(str(marts_db), read_only=True)
    try:
        assert "<svg" in report.render(marts_db)
    finally:
        con.close()


def test_alert_revert_rate_is_measured_on_the_daily_band(tmp_path):
    """Hand-made: 4 band_drop alerts on as_of 2026-01-31. a1 dropped watch -> at_risk on
    Jan 10 and was watch again on Jan 15 (day 5: reverted); a2 dropped on Jan 10 and
    came back only on Jan 18 (day 8: not within 7 days); a3 dropped healthy -> watch on
    Jan 20 and touched healthy on Jan 27 (day 7, the last day counted: reverted); a4
    dropped on Jan 28 (censored: its 7 days run past the data). 2 of 3 judged."""
    db = tmp_path / "alerts.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create table marts.fct_account_health_daily (account_id varchar, date_day date,"
                " band varchar, band_rank integer)")
    rows = []
    plan = {"a1": ("watch", {10: "at_risk", 15: "watch"}),
            "a2": ("watch", {10: "at_risk", 18: "watch"}),
            "a3": ("healthy", {20: "watch", 27: "healthy", 28: "watch"}),
            "a4": ("watch", {28: "at_risk"})}
    for acct, (band, changes) in plan.items():
        for d in range(1, 32):
            band = changes.get(d, band)
            rows.append((acct, date(2026, 1, d), band, _rank(band)))
    _insert(con, "marts.fct_account_health_daily", rows)
    con.execute("create table marts.rpt_health_alerts (alert_date date, account_id varchar, "
                "alert_type varchar, from_band varchar, band_hold_days integer, "
                "band_margin_points double)")
    _insert(con, "marts.rpt_health_alerts", [
        (date(2026, 1, 10), "a1", "band_drop", "watch", 3, 5.0),
        (date(2026, 1, 10), "a2", "band_drop", "watch", 3, 5.0),
        (date(2026, 1, 20), "a3", "band_drop", "healthy", 3, 5.0),
        (date(2026, 1, 28), "a4", "band_drop", "watch", 3, 5.0),
        (date(2026, 1, 15), "a1", "recovered", "at_risk", 3, 5.0),
    ])
    stats = report.alert_revert_stats(con)
    con.close()
    assert stats["band_drops"] == 4 and stats["judged"] == 3 and stats["reverted"] == 2
    assert stats["revert_rate"] == pytest.approx(2 / 3)
    assert stats["max_per_account"] == 1 and stats["hold_days"] == 3
    text = report.revert_sentence(stats)
    assert "66.7% of band_drop alerts reverted within 7 days (2 of 3 judged" in text
    assert "hold 3 scored days, 5.0 points past the threshold" in text


# --------------------------------------------------------------------------- Chromium

CHROMIUM = report.find_chromium()
NO_CHROMIUM = ("no Chromium on this machine (bash scripts/quickstart.sh test installs the "
               "Debian package where apt-get is available)")


def _dump_dom(url: str, width: int, height: int, tmp_path: Path) -> str:
    profile = tmp_path / f"profile-{width}"
    cmd = report.chromium_command(CHROMIUM, str(profile), width, height) + [
        "--virtual-time-budget=5000", "--dump-dom", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
@pytest.mark.parametrize("width", [1400, 390])
def test_report_layout_in_headless_chromium(report_html, tmp_path, width):
    """At desktop and phone width: every section is there, the lookup script ran, the
    page never scrolls sideways (its scrollWidth fits the viewport), neither does the
    queue, and no chart is drawn below 80 % of its size (legible text)."""
    page = tmp_path / "viewport.html"
    page.write_text(report.viewport_page(report_html, width, 900, probe=True), encoding="utf-8")
    dom = _dump_dom(page.as_uri(), width, 900, tmp_path)
    probe = re.search(r'<div id="probe"([^>]*)>', dom)
    assert probe and 'data-done="1"' in probe.group(1), dom[-2000:]
    attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', probe.group(1)))
    assert int(attrs["viewport"]) == width
    assert int(attrs["scroll-width"]) <= width, attrs
    assert attrs["queue-scrolls"] == "0", "the queue must not scroll sideways"
    assert float(attrs["min-chart-scale"]) >= 0.8, "a chart shrank to a thumbnail"
    for anchor in ("this-week", "points", "expansion", "owners", "segments", "lookup",
                   "separation", "distribution", "drivers"):
        assert anchor in attrs["sections"].split(), anchor
    assert attrs["account"] == _lookup(report_html)["start"]


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_report_screenshots_at_phone_width(marts_db, tmp_path):
    html = report.write_report(marts_db, tmp_path / "report.html")
    png = report.screenshot(html, tmp_path / "report.png", width=390, height=1200)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width = int.from_bytes(data[16:20], "big")
    assert width == 390


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_account_lookup_script_runs_in_chromium(marts_db, tmp_path):
    """The inline JS works offline: report.html#<id> shows that account."""
    html = report.write_report(marts_db, tmp_path / "report.html")
    other = _lookup(html.read_text())["accounts"][-1]["id"]
    dom = _dump_dom(html.resolve().as_uri() + "#" + other, 1000, 900, tmp_path)
    assert f'id="acct-facts" data-account="{other}"' in dom
    chart = dom[dom.index('id="acct-chart"'):]
    assert "Score history of Account 29 GmbH" in chart[:2000]


def test_history_shows_published_scores_and_marks_config_changes(tmp_path):
    """Issue 13: the lookup's history reads what was published each day (not today's
    rebuild of the past) and marks the day the configuration changed."""
    db = make_marts(tmp_path / "published.duckdb")
    con = duckdb.connect(str(db))
    con.execute("""
        create table marts.fct_account_health_published as
        select account_id, date_day, health_score, band, primary_driver,
               case when date_day >= (select max(date_day) - 10 from marts.fct_account_health_daily)
                    then 'bbbbbbbbbbbb' else 'aaaaaaaaaaaa' end as config_version,
               now() as published_at
        from marts.fct_account_health_daily
    """)
    # what the team was shown on the last day differs from today's rebuild
    con.execute("update marts.fct_account_health_published set health_score = 12.34 "
                "where account_id = ? and date_day = (select max(date_day) "
                "from marts.fct_account_health_daily)", [EDGE_ACCOUNT])
    last, first = con.execute("select max(date_day), min(date_day) "
                              "from marts.fct_account_health_daily").fetchone()
    con.close()
    data = _lookup(report.render(db))
    edge = next(a for a in data["accounts"] if a["id"] == EDGE_ACCOUNT)
    assert edge["h"][-1] == 123  # the published 12.34, floored to one decimal
    change = last - timedelta(days=10)
    assert data["cfg"] == [[(change - first).days, "bbbbbbbbbbbb"]]
