"""Incremental metric models read only the days their windows reach (issue 14).

An incremental run recomputing the days from ``start`` reads the account-day
inputs of int_usage/value/billing/support/sentiment_metrics_daily from
``start - reach`` (the reach of the model's longest bounded window: 27, 27,
90, 89 and 179 days) and continues its unbounded running values from seeds
(the facts dated before that day; the model's own stored row of start - 1 for
the "since the renewal window opened" values). See docs/perf-notes/met.md.

On the tiny sample one account (PROBE) is given facts exactly at the edge of
every window and running values set long before the window (the seeds):

- a bug ticket created on start - 89 (bug_tickets_90d on start counts it),
- an NPS answer on start - 179, its only one in 180 days (nps_latest_180d),
- its last held meeting and its last CSM pulse about 290 days before start,
  and a severity-1 ticket opened then and never resolved (days_since_last_meeting,
  csm_pulse_score, open_sev1_tickets come from the seeds only);
- every other account: a failed payment, a high-severity ticket and a held call on
  START - 1 (carried into START by the renewal windows opened before START);

then the warehouse is built up to START - 1, built incrementally to START
(recompute_from = START: the edge facts are outside the recomputed days) and
compared row for row with a ``--full-refresh`` of the same data. Reading one
day less (reach - 1) or dropping a seed makes the comparison fail
(docs/perf-notes/met.md, planted bugs).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from test_incremental import SELECTION as BUILD_SELECTION
from test_incremental import UPSTREAM, _build

# the metric models and their inputs' model, int_product_activity_daily
MODELS = tuple(name.split(".")[-1] for name in UPSTREAM)
# the metric models, what int_build_plan reads, seeds and models only
SELECTION = [*BUILD_SELECTION[:5], "+int_account_metrics_daily", "+int_health_scores_wide"]
SELECTION.append("int_input_day_digests_built")
PROBE = "acc_00001"
START = dt.date(2026, 6, 16)
LONG_AGO = START - dt.timedelta(days=290)


def _day(days_before: int) -> str:
    return (START - dt.timedelta(days=days_before)).isoformat()


def _plant_edge_facts(con) -> None:
    """The probe account's facts at the window edges and long before them."""
    long_ago = f"timestamp '{LONG_AGO.isoformat()} 10:00:00'"
    con.execute(f"""
        delete from raw.survey_responses
        where account_id = '{PROBE}' and survey_type = 'nps'
            and sent_at >= timestamp '{_day(200)}'""")
    con.execute(f"""
        delete from raw.csm_activities
        where account_id = '{PROBE}' and occurred_at >= {long_ago}""")
    con.execute(
        f"delete from raw.csm_pulse where account_id = '{PROBE}' and recorded_at >= {long_ago}"
    )
    con.execute(f"""
        insert into raw.support_tickets values
            ('tkt_edge_bug', '{PROBE}', timestamp '{_day(89)} 09:00:00',
             timestamp '{_day(89)} 10:00:00', timestamp '{_day(88)} 09:00:00',
             4, 'solved', 0, false, true),
            ('tkt_old_sev1', '{PROBE}', {long_ago}, null, null, 1, 'open', 0, false, false)""")
    con.execute(f"""
        insert into raw.survey_responses values
            ('rsp_edge_nps', '{PROBE}', null, 'nps', timestamp '{_day(179)} 09:00:00',
             timestamp '{_day(179)} 11:00:00', '3')""")
    con.execute(f"""
        insert into raw.csm_activities values
            ('act_old_meeting', '{PROBE}', {long_ago}, 'meeting', 'held', false)""")
    # every other account: a failed payment, a high-severity ticket and a meeting on
    # START - 1, which a renewal window opened before START carries (stored row)
    eve = f"timestamp '{_day(1)} 12:00:00'"
    accounts = (
        "select account_id, max(invoice_id) as invoice_id from raw.invoices "
        f"where account_id != '{PROBE}' group by account_id"
    )
    con.execute(f"""
        insert into raw.payments
        select 'pay_eve_' || account_id, invoice_id, account_id, {eve}, 10.00, 'failed',
            'card_declined'
        from ({accounts}) as a""")
    con.execute(f"""
        insert into raw.support_tickets
        select 'tkt_eve_' || account_id, account_id, {eve}, null, null, 2, 'open', 0, false, false
        from ({accounts}) as a""")
    con.execute(f"""
        insert into raw.csm_activities
        select 'act_eve_' || account_id, account_id, {eve}, 'call', 'held', false
        from ({accounts}) as a""")


def _copy(source: Path, folder: Path) -> Path:
    """A copy of the DuckDB file `source` as folder/health.duckdb."""
    folder.mkdir()
    return Path(shutil.copyfile(source, folder / "health.duckdb"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory, raw_db):
    work = tmp_path_factory.mktemp("incremental_metrics")
    daily = _copy(raw_db, work / "daily")
    with duckdb.connect(str(daily)) as con:
        _plant_edge_facts(con)
    _build(work, daily, vars_={"as_of_date": _day(1)}, selection=SELECTION)
    _build(work, daily, vars_={"as_of_date": START.isoformat()}, selection=SELECTION)
    with duckdb.connect(str(daily), read_only=True) as con:
        plan = con.execute(
            "select mode, recompute_from from intermediate.int_build_plan"
        ).fetchone()
    full = _copy(daily, work / "full")
    _build(
        work, full, "--full-refresh", vars_={"as_of_date": START.isoformat()}, selection=SELECTION
    )
    return {"daily": daily, "full": full, "plan": plan}


def test_a_one_day_incremental_run_recomputes_one_day(builds):
    assert builds["plan"] == ("incremental", START), builds["plan"]


def test_metric_models_equal_a_full_refresh_row_for_row(builds):
    with duckdb.connect() as con:
        con.execute(f"attach '{builds['daily']}' as daily (read_only)")
        con.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        differ = {}
        for model in MODELS:
            table = f"intermediate.{model}"
            n = con.execute(
                f"select count(*) from full_refresh.{table} where date_day = '{START}'"
            ).fetchone()[0]
            assert n > 0, model
            for a, b in (("daily", "full_refresh"), ("full_refresh", "daily")):
                rows = con.execute(
                    f"select count(*) from (select * from {a}.{table} "
                    f"except all select * from {b}.{table})"
                ).fetchone()[0]
                if rows:
                    differ[model] = rows
        assert not differ, " ".join(f"{m}:{n}" for m, n in differ.items())


def test_the_edge_and_seed_facts_shape_the_recomputed_day(builds):
    """Not vacuous: on START the probe's metrics come from the window edges and the seeds."""
    with duckdb.connect(str(builds["full"]), read_only=True) as con:
        row = con.execute(f"""
            select bug_tickets_90d, nps_latest_180d, open_sev1_tickets, days_since_last_meeting
            from intermediate.int_account_metrics_daily
            where account_id = '{PROBE}' and date_day = date '{START}'""").fetchone()
        assert row is not None, "the probe account is not a customer on START"
        bugs, nps, open_sev1, since_meeting = row
        assert bugs >= 1 and nps == 3 and open_sev1 >= 1, row
        assert since_meeting == 290, row
        # the renewal-window values of windows opened before START continue from the stored day
        carried = con.execute(f"""
            select count(*) from intermediate.int_account_metrics_daily as m
            inner join intermediate.int_account_days as d
                on m.account_id = d.account_id and m.date_day = d.date_day
            where m.date_day = date '{START}' and d.renewal_window_start_date < m.date_day
                and m.core_actions_since_window_open > 0
                and m.failed_payments_since_window_open > 0
                and m.high_sev_tickets_since_window_open > 0
                and m.meetings_held_since_window_open > 0""").fetchone()[0]
        assert carried > 0
