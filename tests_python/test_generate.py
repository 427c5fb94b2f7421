"""Tests of the sample data generator (scripts/healthwh/generate.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import TINY, make_raw_db
from healthwh import generate as gen

ROOT = Path(__file__).resolve().parents[1]
DATA_END = pd.Timestamp(TINY["end_date"]) + pd.Timedelta(days=1)  # first instant after data

# SPEC §1, typed as the generator writes them (seats and score are text on
# purpose, see docs/contracts.md).
SPEC_COLUMNS = {
    "accounts": {
        "account_id": "VARCHAR", "account_name": "VARCHAR", "segment": "VARCHAR",
        "industry": "VARCHAR", "region": "VARCHAR", "csm_owner": "VARCHAR",
        "created_at": "TIMESTAMP",
    },
    "subscriptions": {
        "subscription_id": "VARCHAR", "account_id": "VARCHAR", "plan": "VARCHAR",
        "start_date": "DATE", "end_date": "DATE", "mrr": "DECIMAL", "seats": "VARCHAR",
        "billing_period_months": "INTEGER",
    },
    "product_events": {
        "event_id": "VARCHAR", "account_id": "VARCHAR", "user_id": "VARCHAR",
        "event_type": "VARCHAR", "occurred_at": "TIMESTAMP", "quantity": "DECIMAL",
    },
    "invoices": {
        "invoice_id": "VARCHAR", "account_id": "VARCHAR", "issued_at": "DATE",
        "due_date": "DATE", "amount": "DECIMAL", "paid_at": "TIMESTAMP", "status": "VARCHAR",
    },
    "payments": {
        "payment_id": "VARCHAR", "invoice_id": "VARCHAR", "account_id": "VARCHAR",
        "attempted_at": "TIMESTAMP", "amount": "DECIMAL", "status": "VARCHAR",
        "failure_reason": "VARCHAR",
    },
    "support_tickets": {
        "ticket_id": "VARCHAR", "account_id": "VARCHAR", "created_at": "TIMESTAMP",
        "first_response_at": "TIMESTAMP", "resolved_at": "TIMESTAMP", "severity": "INTEGER",
        "status": "VARCHAR", "reopen_count": "INTEGER", "is_escalated": "BOOLEAN",
        "is_bug": "BOOLEAN",
    },
    "survey_responses": {
        "response_id": "VARCHAR", "account_id": "VARCHAR", "user_id": "VARCHAR",
        "survey_type": "VARCHAR", "sent_at": "TIMESTAMP", "responded_at": "TIMESTAMP",
        "score": "VARCHAR",
    },
    "csm_pulse": {
        "account_id": "VARCHAR", "recorded_at": "TIMESTAMP", "pulse": "VARCHAR",
        "recorded_by": "VARCHAR", "note": "VARCHAR",
    },
    "csm_activities": {
        "activity_id": "VARCHAR", "account_id": "VARCHAR", "occurred_at": "TIMESTAMP",
        "activity_type": "VARCHAR", "status": "VARCHAR", "is_executive": "BOOLEAN",
    },
}
REASONS = (
    "null_key", "duplicate_key", "unknown_account", "unparseable_value", "unknown_enum_value",
    "out_of_range_value", "negative_amount", "end_before_start", "future_timestamp",
)
ENUMS = {
    ("invoices", "status"): {"open", "paid", "void", "uncollectible"},
    ("payments", "status"): {"succeeded", "failed"},
    ("survey_responses", "survey_type"): {"nps", "csat"},
    ("csm_pulse", "pulse"): {"red", "yellow", "green"},
    ("csm_activities", "activity_type"): {"meeting", "qbr", "call", "email"},
    ("csm_activities", "status"): {"held", "no_show", "cancelled"},
}
KEYS = {
    "accounts": "account_id", "subscriptions": "subscription_id",
    "product_events": "event_id", "invoices": "invoice_id", "payments": "payment_id",
    "support_tickets": "ticket_id", "survey_responses": "response_id",
    "csm_pulse": None, "csm_activities": "activity_id",
}
# the column whose null makes a row keyless (event_id is nullable in SPEC §1;
# csm_pulse has no key of its own)
NULL_KEYS = {**KEYS, "product_events": "account_id", "csm_pulse": "account_id"}
# dates that may legitimately lie after the data: terms and due dates to come
FUTURE_OK = {("subscriptions", "end_date"), ("invoices", "due_date")}
CORE = ("record_created", "record_updated", "workflow_run", "report_viewed")


def table_hashes(db: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-sensitive hash of every raw and audit table."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('raw', 'raw_audit') order by 1"
        ).fetchall()
        return {
            name: con.execute(
                f"select count(*), md5(string_agg(md5(cast(t as varchar)), '' order by rowid)) "
                f"from {name} as t"
            ).fetchone()
            for (name,) in names
        }


def read(db: Path, table: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(f"select * from raw.{table} order by rowid").df()


def problems(table: str, df: pd.DataFrame, account_ids: set[str]) -> pd.DataFrame:
    """Independent re-statement of the SPEC §1 bad-input rules: one boolean
    column per quarantine reason, one row per raw row."""
    p = pd.DataFrame(False, index=df.index, columns=list(REASONS))
    p["null_key"] = df[NULL_KEYS[table]].isna()
    if table == "csm_pulse":
        key = df["account_id"] + "|" + df["recorded_at"].astype(str)
    else:
        key = df[KEYS[table]]
    p["duplicate_key"] = key.notna() & key.duplicated(keep=False)
    if table != "accounts":
        p["unknown_account"] = df["account_id"].notna() & ~df["account_id"].isin(account_ids)
    for column in ("seats", "score"):
        if column in df:
            p["unparseable_value"] |= df[column].notna() & pd.to_numeric(
                df[column], errors="coerce").isna()
    for (t, column), allowed in ENUMS.items():
        if t == table:
            p["unknown_enum_value"] |= df[column].notna() & ~df[column].isin(allowed)
    if table == "support_tickets":
        p["out_of_range_value"] = ~df["severity"].between(1, 4)
    if table == "survey_responses":
        score = pd.to_numeric(df["score"], errors="coerce")
        nps = (df["survey_type"] == "nps") & ~score.between(0, 10)
        csat = (df["survey_type"] == "csat") & ~score.between(1, 5)
        p["out_of_range_value"] = score.notna() & (nps | csat)
    for column in ("mrr", "amount"):
        if column in df:
            p["negative_amount"] |= df[column] < 0
    pairs = {
        "subscriptions": [("start_date", "end_date")],
        "invoices": [("issued_at", "due_date")],
        "support_tickets": [("created_at", "resolved_at"), ("created_at", "first_response_at")],
        "survey_responses": [("sent_at", "responded_at")],
    }
    for start, end in pairs.get(table, []):
        p["end_before_start"] |= df[end].notna() & (df[end] < df[start])
    for column in df.columns:
        if (table, column) in FUTURE_OK:
            continue
        values = df[column]
        if values.dtype.kind == "M" or column.endswith(("_date", "issued_at")):
            p["future_timestamp"] |= pd.to_datetime(values) >= DATA_END
    return p


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def twin_dbs(tmp_path_factory):
    """The tiny sample twice with the same seed (with parquet copies), and once
    with another seed."""
    base = tmp_path_factory.mktemp("twins")
    a = make_raw_db(base / "a.duckdb", parquet_dir=base / "a_parquet", messy_rate=0.02)
    b = make_raw_db(base / "b.duckdb", parquet_dir=base / "b_parquet", messy_rate=0.02)
    c = make_raw_db(base / "c.duckdb", seed=7)
    return a, b, c


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small") / "health.duckdb"
    assert gen.main(["--size", "small", "--db", str(path)]) == 0
    return path


# ----------------------------------------------------------------------------- tests


def test_event_types_match_the_seed():
    with open(ROOT / "seeds" / "event_types.csv", newline="") as fh:
        seed = {row["event_type"]: row["category"] for row in csv.DictReader(fh)}
    assert {t: c for t, c, _ in gen.EVENT_TYPES} == seed
    assert not set(gen.UNKNOWN_EVENT_TYPES) & set(seed)


def test_schema_matches_spec(raw_db):
    with duckdb.connect(str(raw_db), read_only=True) as con:
        for table, expected in SPEC_COLUMNS.items():
            got = {
                name: dtype.split("(")[0]
                for name, dtype in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            }
            assert got == expected, table
            assert con.execute(f"select count(*) from raw.{table}").fetchone()[0] > 0, table


def test_same_seed_gives_identical_tables_and_parquet(twin_dbs):
    a, b, c = twin_dbs
    ha, hb = table_hashes(a), table_hashes(b)
    assert len(ha) == 12  # nine raw tables and three audit tables
    assert ha == hb
    for table in gen.TABLES:
        pa_, pb_ = (p.parent / f"{p.stem}_parquet" / f"{table}.parquet" for p in (a, b))
        assert pa_.read_bytes() == pb_.read_bytes(), table


def test_another_seed_gives_other_data(twin_dbs, raw_db):
    _, _, c = twin_dbs
    hc, h42 = table_hashes(c), table_hashes(raw_db)
    for table in gen.TABLES:
        assert hc[f"raw.{table}"] != h42[f"raw.{table}"], table


def test_parquet_files_hold_the_same_rows(twin_dbs):
    a = twin_dbs[0]
    with duckdb.connect(str(a), read_only=True) as con:
        for table in gen.TABLES:
            path = a.parent / "a_parquet" / f"{table}.parquet"
            diff = con.execute(
                f"select count(*) from (select * from raw.{table} except all "
                f"select * from read_parquet('{path}'))"
            ).fetchone()[0]
            n = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
            assert diff == 0 and n == con.execute(
                f"select count(*) from raw.{table}").fetchone()[0], table


def test_rerun_replaces_the_tables(tmp_path):
    db = tmp_path / "h.duckdb"
    make_raw_db(db, accounts=12, messy_rate=0.05)
    make_raw_db(db, accounts=12)
    assert table_hashes(db) == table_hashes(make_raw_db(tmp_path / "fresh.duckdb", accounts=12))


def test_messy_rows_are_extra_rows_recorded_with_exactly_one_problem(raw_db, messy_raw_db):
    with duckdb.connect(str(messy_raw_db), read_only=True) as con:
        audit = con.sql("select * from raw_audit.injected_bad_rows").df()
        info = con.sql("select * from raw_audit.generation_info").df()
    assert set(audit["reason"]) == set(REASONS)
    assert info.loc[0, "n_bad_rows"] == len(audit)
    assert info.loc[0, "messy_rate"] == 0.02
    keyless = (audit["reason"] == "null_key") & (audit["source_table"] != "product_events")
    assert audit.loc[keyless, "record_key"].isna().all()
    assert audit.loc[~keyless, "record_key"].notna().all()

    clean_accounts = read(raw_db, "accounts")
    account_ids = set(clean_accounts["account_id"])
    for table in gen.TABLES:
        clean, messy = read(raw_db, table), read(messy_raw_db, table)
        expected = audit[audit["source_table"] == table].reset_index(drop=True)
        # every kind of bad input this table can have is there
        assert set(expected["reason"]) == set(gen.BAD_KINDS[table]), table
        # good rows come first and are untouched; bad rows are extra rows
        assert len(messy) == len(clean) + len(expected), table
        pd.testing.assert_frame_equal(messy.iloc[: len(clean)], clean, obj=table)
        # each injected row has exactly its recorded problem; good rows have
        # none (except being the original of an injected duplicate)
        found = problems(table, messy, account_ids)
        good, bad = found.iloc[: len(clean)], found.iloc[len(clean):].reset_index(drop=True)
        assert not good.drop(columns="duplicate_key").to_numpy().any(), table
        for i, reason in enumerate(expected["reason"]):
            flagged = {r for r in REASONS if bad.loc[i, r]}
            assert flagged == {reason}, (table, i, reason, flagged)
        dup_keys = set(expected.loc[expected["reason"] == "duplicate_key", "record_key"])
        assert len(dup_keys) > 0
        if KEYS[table] is not None:
            originals = set(clean.loc[good["duplicate_key"].to_numpy(), KEYS[table]])
            assert originals == dup_keys, table
        # record keys point at the injected rows (csm_pulse: "<account_id>|<recorded_at
        # as DuckDB casts it to text>", the key staging derives)
        if KEYS[table] is not None:
            keys = set(messy[KEYS[table]].dropna())
        else:
            with duckdb.connect(str(messy_raw_db), read_only=True) as con:
                keys = {k for (k,) in con.execute(
                    "select account_id || '|' || cast(recorded_at as varchar) "
                    "from raw.csm_pulse").fetchall()}
        assert expected["record_key"].dropna().isin(keys).all(), table


def test_unknown_event_types_are_recorded_and_are_not_bad_rows(raw_db):
    with duckdb.connect(str(raw_db), read_only=True) as con:
        recorded = dict(con.execute(
            "select event_type, n_rows from raw_audit.injected_unknown_event_types").fetchall())
        actual = dict(con.execute(
            "select event_type, count(*) from raw.product_events where event_type in "
            f"({', '.join('?' for _ in gen.UNKNOWN_EVENT_TYPES)}) group by 1",
            list(gen.UNKNOWN_EVENT_TYPES)).fetchall())
        bad = con.execute("select count(*) from raw_audit.injected_bad_rows").fetchone()[0]
    assert recorded == actual and sum(actual.values()) >= 3
    assert bad == 0


def test_good_rows_are_referentially_sane(raw_db):
    with duckdb.connect(str(raw_db), read_only=True) as con:
        def zero(sql: str) -> None:
            assert con.execute(f"select count(*) from ({sql})").fetchone()[0] == 0, sql

        for table in gen.TABLES[1:]:
            zero(f"select * from raw.{table} where account_id is null "
                 "or account_id not in (select account_id from raw.accounts)")
        zero("select account_id from raw.accounts group by 1 having count(*) > 1")
        zero("select * from raw.subscriptions where end_date <= start_date or mrr < 0 "
             "or try_cast(seats as integer) is null or try_cast(seats as integer) < 1 "
             "or billing_period_months not in (1, 12)")
        # annual terms last 12 months; open rows are monthly plans
        zero("select * from raw.subscriptions where billing_period_months = 12 "
             "and end_date > start_date + interval 12 month")
        zero("select * from raw.subscriptions where end_date is null "
             "and billing_period_months <> 1")
        # at most one subscription row at a time per account
        zero("select * from raw.subscriptions as a join raw.subscriptions as b "
             "on a.account_id = b.account_id and a.subscription_id < b.subscription_id "
             "and a.start_date < coalesce(b.end_date, date '9999-01-01') "
             "and b.start_date < coalesce(a.end_date, date '9999-01-01')")
        zero("select * from raw.invoices where amount < 0 or due_date < issued_at "
             "or paid_at < issued_at or (status = 'paid') <> (paid_at is not null)")
        zero("select * from raw.payments as p left join raw.invoices as i "
             "on p.invoice_id = i.invoice_id where i.invoice_id is null "
             "or i.account_id <> p.account_id or p.amount < 0 or p.attempted_at < i.issued_at "
             "or (p.status = 'failed') <> (p.failure_reason is not null)")
        zero("select invoice_id from raw.payments where status = 'succeeded' "
             "group by 1 having count(*) > 1")
        zero("select * from raw.support_tickets where severity not between 1 and 4 "
             "or resolved_at < created_at or first_response_at < created_at "
             "or reopen_count < 0")
        zero("select * from raw.survey_responses where responded_at < sent_at "
             "or responded_at > sent_at + interval 14 day "
             "or (responded_at is null) <> (score is null) "
             "or (survey_type = 'nps' and cast(score as integer) not between 0 and 10) "
             "or (survey_type = 'csat' and cast(score as integer) not between 1 and 5)")
        # product facts only while the account is a customer
        zero("select * from raw.product_events as e where not exists (select 1 from "
             "raw.subscriptions as s where s.account_id = e.account_id and "
             "s.start_date <= cast(e.occurred_at as date) and "
             "(s.end_date is null or cast(e.occurred_at as date) < s.end_date))")
        # events are written in account, time order (unknown event types are appended)
        zero("select * from (select account_id, occurred_at, "
             "lag(account_id) over (order by rowid) as prev_account, "
             "lag(occurred_at) over (order by rowid) as prev_at from raw.product_events "
             "where event_type not in (select event_type from "
             "raw_audit.injected_unknown_event_types)) where account_id < prev_account "
             "or (account_id = prev_account and occurred_at < prev_at)")
        # distinct users bounded by the largest seat count
        zero("select e.account_id from raw.product_events as e join (select account_id, "
             "max(cast(seats as integer)) as seats from raw.subscriptions group by 1) as s "
             "using (account_id) group by e.account_id, s.seats "
             "having count(distinct e.user_id) > s.seats")
        # nothing after the end date except terms and due dates to come
        end = f"timestamp '{DATA_END}'"
        for table, cols in SPEC_COLUMNS.items():
            for col, dtype in cols.items():
                if dtype in ("TIMESTAMP", "DATE") and (table, col) not in FUTURE_OK:
                    zero(f"select * from raw.{table} where {col} >= {end}")
        zero("select * from raw.product_events where occurred_at < "
             f"timestamp '{TINY['start_date']}'")


def test_small_preset_has_the_advertised_shape(small_db):
    with duckdb.connect(str(small_db), read_only=True) as con:
        info = con.sql("select * from raw_audit.generation_info").df().iloc[0]
        outcomes = dict(con.execute(
            """
            with s as (
                select account_id, start_date, end_date, mrr,
                    lead(start_date) over (partition by account_id order by start_date) as nxt,
                    lead(mrr) over (partition by account_id order by start_date) as next_mrr
                from raw.subscriptions
            )
            select case
                    when nxt = end_date and next_mrr > mrr then 'expansion'
                    when nxt = end_date and next_mrr < mrr then 'downgrade'
                    when nxt = end_date then 'renewal'
                    when nxt <= end_date + interval 30 day then 'resubscribed_within_30d'
                    when nxt > end_date then 'resubscribed_later'
                    else 'other'
                end as outcome,
                count(*)
            from s where end_date is not null group by 1
            """).fetchall())
        late_joiners = con.execute(
            "select count(*) from (select account_id, min(start_date) as first from "
            "raw.subscriptions group by 1) where first > date '2025-10-01'").fetchone()[0]
    assert 150 <= info["accounts"] <= 200
    months = (pd.Timestamp(info["end_date"]) - pd.Timestamp(info["start_date"])).days / 30.4
    assert 15 <= months <= 18.5
    assert info["rows_product_events"] < 300_000
    for outcome in ("expansion", "downgrade", "renewal", "resubscribed_within_30d"):
        assert outcomes.get(outcome, 0) >= 1, outcomes
    assert late_joiners >= 10


def test_latent_health_drives_outcomes(small_db):
    """Accounts that churn used the product less (per seat), saw more red pulses
    and answered fewer surveys before the end of their term than accounts that
    renewed: medians compared with a generous margin."""
    with duckdb.connect(str(small_db), read_only=True) as con:
        df = con.sql(
            f"""
            with s as (
                select account_id, end_date, cast(seats as integer) as seats,
                    lead(start_date) over (partition by account_id order by start_date) as nxt
                from raw.subscriptions
            ),
            ends as (
                select *, case when nxt = end_date then 'renewed'
                    when nxt is null or nxt > end_date + interval 30 day then 'churned'
                end as outcome
                from s where end_date <= date '{TINY['end_date']}'
            )
            select e.outcome,
                (select count(*) from raw.product_events as p
                 where p.account_id = e.account_id
                   and p.occurred_at >= e.end_date - interval 60 day
                   and p.occurred_at < e.end_date
                   and p.event_type in {CORE}) / e.seats as core_per_seat,
                (select avg(case when c.pulse = 'red' then 1.0 else 0.0 end)
                 from raw.csm_pulse as c where c.account_id = e.account_id
                   and c.recorded_at >= e.end_date - interval 90 day
                   and c.recorded_at < e.end_date) as red_share,
                (select avg(case when r.responded_at is null then 0.0 else 1.0 end)
                 from raw.survey_responses as r where r.account_id = e.account_id
                   and r.sent_at >= e.end_date - interval 180 day
                   and r.sent_at < e.end_date - interval 14 day) as response_rate
            from ends as e where e.outcome is not null
            """).df()
    med = df.groupby("outcome").median()
    count = df.groupby("outcome").size()
    assert count["churned"] >= 10 and count["renewed"] >= 10, count
    assert med.loc["churned", "core_per_seat"] < 0.75 * med.loc["renewed", "core_per_seat"]
    means = df.groupby("outcome").mean()
    assert means.loc["churned", "red_share"] > means.loc["renewed", "red_share"] + 0.1
    assert means.loc["churned", "response_rate"] < means.loc["renewed", "response_rate"]


def test_add_months_clamps_the_day_of_month():
    base = np.datetime64("2024-01-31")
    got = base + gen.add_months(np.array([0, 0, 29]), np.array([1, 13, 1]), base).astype(
        "timedelta64[D]")
    assert got.tolist() == [np.datetime64("2024-02-29").item(), np.datetime64("2025-02-28").item(),
                            np.datetime64("2024-03-29").item()]


def test_sequential_ids_are_zero_padded_and_consecutive():
    ids = gen.sequential_ids("evt_", 9_998, 4).to_pylist()
    assert ids == ["evt_000009998", "evt_000009999", "evt_000010000", "evt_000010001"]
    assert gen.sequential_ids("x_", 1, 0).to_pylist() == []


@pytest.mark.parametrize(
    "argv",
    [["--accounts", "0"], ["--messy-rate", "0.9"], ["--start-date", "2025-02-30"],
     ["--start-date", "2026-01-01", "--end-date", "2026-01-31"]],
)
def test_cli_rejects_bad_options_with_a_fix(argv, tmp_path, capsys):
    assert gen.main([*argv, "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()


# ----------------------------------------------------------------------------- check-set modes


@pytest.fixture(scope="module")
def mode_dbs(tmp_path_factory) -> dict[str, Path]:
    """The tiny sample in each check-set mode (a second or two each)."""
    base = tmp_path_factory.mktemp("modes")
    return {mode: make_raw_db(base / mode / "health.duckdb", mode=mode, accounts=120)
            for mode in ("one_seat_no_integrations", "random_churn")}


def test_default_mode_is_the_default_world(raw_db, tmp_path):
    explicit = make_raw_db(tmp_path / "default.duckdb", mode="default")
    assert table_hashes(explicit) == table_hashes(raw_db)


def test_unknown_mode_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown mode"):
        make_raw_db(tmp_path / "x.duckdb", mode="nope")


def test_one_seat_mode_is_a_consumer_product(mode_dbs):
    db = mode_dbs["one_seat_no_integrations"]
    with open(db.parent / "event_types.csv", newline="") as fh:
        seed = {row["event_type"]: row["category"] for row in csv.DictReader(fh)}
    assert seed == {t: c for t, c, _ in gen.CONSUMER_EVENT_TYPES}
    assert "integration" not in seed.values()
    assert not set(seed) & {t for t, _, _ in gen.EVENT_TYPES}  # names of its own
    with duckdb.connect(str(db), read_only=True) as con:
        seats = {r[0] for r in con.execute("select distinct seats from raw.subscriptions")
                 .fetchall()}
        assert seats == {"1"}
        types = {r[0] for r in con.execute("select distinct event_type from raw.product_events")
                 .fetchall()}
        assert types - set(gen.UNKNOWN_EVENT_TYPES) <= set(seed)
        users = con.execute("select max(n) from (select account_id, count(distinct user_id) "
                            "as n from raw.product_events where event_type not in "
                            "('beta_feature_used', 'ai_assistant_opened') "
                            "group by account_id)").fetchone()[0]
        assert users == 1
        mode = con.execute("select mode from raw_audit.generation_info").fetchone()[0]
        assert mode == "one_seat_no_integrations"


def _churn_day_health_gap(mode: str) -> tuple[float, int]:
    """Mean latent health of all customer days minus that of the last customer day
    before a churn, in a world simulated in `mode` (and the number of churns)."""
    world, *_ = gen.build_world(11, 600, "2025-01-01", "2026-06-30", mode)
    active = world.active
    churn = active[:, :-1] & ~active[:, 1:]
    return float(world.health[active].mean() - world.health[:, :-1][churn].mean()), int(
        churn.sum())


def test_random_churn_mode_churn_ignores_health(mode_dbs):
    """Monthly plans only, and the accounts that churn are as healthy as any other
    customer (in the default world they are far less healthy)."""
    with duckdb.connect(str(mode_dbs["random_churn"]), read_only=True) as con:
        periods = {r[0] for r in con.execute(
            "select distinct billing_period_months from raw.subscriptions").fetchall()}
    assert periods == {1}
    gap_default, n_default = _churn_day_health_gap("default")
    gap_random, n_random = _churn_day_health_gap("random_churn")
    assert n_default > 50 and n_random > 50
    assert gap_default > 0.1  # the default world: churners are clearly less healthy
    assert abs(gap_random) < 0.05, gap_random
