"""The raw-input contract and the quarantine macro (issue 11 items 2-3, issue 14).

* The contract has one home (``vars: raw_inputs`` in dbt_project.yml): the
  sources yml, the generator and the CLI agree with it.
* Every base_* model comes from macros/staging/quarantine_base.sql: a planted
  bad row per reason and table is quarantined with that reason, and nothing
  else is.
* A column stored as its contract type passes through untouched, the others
  take the text path: both give the same rows (the same tiny data stored
  typed and stored as text build identical base_* models).
* A pre-aggregated daily usage table (var product_usage_daily_relation) gives
  the same usage model as the events it was aggregated from.

Three staging-sized dbt runs on the tiny sample.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from healthwh import generate, raw_contract
from test_data_bounds import _dbt

ROOT = Path(__file__).resolve().parents[1]
FUTURE = dt.datetime(2027, 6, 1, 9, 0)
NOBODY = "acc_nobody"
BASE_MODELS = {
    "accounts": "base_crm__accounts",
    "subscriptions": "base_billing__subscriptions",
    "product_events": "base_product__events",
    "invoices": "base_billing__invoices",
    "payments": "base_billing__payments",
    "support_tickets": "base_support__tickets",
    "survey_responses": "base_surveys__responses",
    "csm_pulse": "base_crm__csm_pulse",
    "csm_activities": "base_crm__csm_activities",
}
# (table, reason, overrides of a clean template row); "@key" = a fresh key
# value, "@dup" = an exact copy of the template. Every row has one problem.
PLANTS_TYPED = [
    ("accounts", "null_key", {"account_id": None}),
    ("accounts", "duplicate_key", "@dup"),
    ("accounts", "future_timestamp", {"account_id": "@key", "created_at": FUTURE}),
    ("subscriptions", "null_key", {"subscription_id": None}),
    ("subscriptions", "duplicate_key", "@dup"),
    ("subscriptions", "unknown_account", {"subscription_id": "@key", "account_id": NOBODY}),
    ("subscriptions", "unparseable_value", {"subscription_id": "@key", "seats": "many"}),
    ("subscriptions", "out_of_range_value", {"subscription_id": "@key",
                                             "billing_period_months": 0}),
    ("subscriptions", "negative_amount", {"subscription_id": "@key", "mrr": -1}),
    ("subscriptions", "end_before_start", {"subscription_id": "@key",
                                           "end_date": "@before:start_date"}),
    ("subscriptions", "future_timestamp", {"subscription_id": "@key", "start_date": FUTURE.date(),
                                           "end_date": None}),
    ("product_events", "null_key", {"event_id": "@key", "account_id": None}),
    ("product_events", "duplicate_key", "@dup"),
    ("product_events", "unknown_account", {"event_id": "@key", "account_id": NOBODY}),
    ("product_events", "unparseable_value", {"event_id": "@key", "event_type": None}),
    ("product_events", "out_of_range_value", {"event_id": "@key", "quantity": -2}),
    ("product_events", "future_timestamp", {"event_id": "@key", "occurred_at": FUTURE}),
    ("invoices", "null_key", {"invoice_id": None}),
    ("invoices", "duplicate_key", "@dup"),
    ("invoices", "unknown_account", {"invoice_id": "@key", "account_id": NOBODY}),
    ("invoices", "unparseable_value", {"invoice_id": "@key", "amount": None}),
    ("invoices", "unknown_enum_value", {"invoice_id": "@key", "status": "lost"}),
    ("invoices", "negative_amount", {"invoice_id": "@key", "amount": -5}),
    ("invoices", "end_before_start", {"invoice_id": "@key", "due_date": "@before:issued_at"}),
    ("invoices", "future_timestamp", {"invoice_id": "@key", "issued_at": FUTURE.date(),
                                      "due_date": None, "paid_at": None}),
    ("payments", "null_key", {"payment_id": None}),
    ("payments", "duplicate_key", "@dup"),
    ("payments", "unknown_account", {"payment_id": "@key", "account_id": NOBODY}),
    ("payments", "unparseable_value", {"payment_id": "@key", "attempted_at": None}),
    ("payments", "unknown_enum_value", {"payment_id": "@key", "status": "maybe"}),
    ("payments", "negative_amount", {"payment_id": "@key", "amount": -5}),
    ("payments", "future_timestamp", {"payment_id": "@key", "attempted_at": FUTURE}),
    ("support_tickets", "null_key", {"ticket_id": None}),
    ("support_tickets", "duplicate_key", "@dup"),
    ("support_tickets", "unknown_account", {"ticket_id": "@key", "account_id": NOBODY}),
    ("support_tickets", "unparseable_value", {"ticket_id": "@key", "severity": None}),
    ("support_tickets", "out_of_range_value", {"ticket_id": "@key", "severity": 9}),
    ("support_tickets", "end_before_start", {"ticket_id": "@key",
                                             "resolved_at": "@before:created_at"}),
    ("support_tickets", "future_timestamp", {"ticket_id": "@key", "created_at": FUTURE,
                                             "first_response_at": None, "resolved_at": None}),
    ("survey_responses", "null_key", {"response_id": None}),
    ("survey_responses", "duplicate_key", "@dup"),
    ("survey_responses", "unknown_account", {"response_id": "@key", "account_id": NOBODY}),
    ("survey_responses", "unparseable_value", {"response_id": "@key", "score": "great"}),
    ("survey_responses", "unknown_enum_value", {"response_id": "@key", "survey_type": "ces"}),
    ("survey_responses", "out_of_range_value", {"response_id": "@key", "survey_type": "nps",
                                                "score": "11"}),
    ("survey_responses", "end_before_start", {"response_id": "@key",
                                              "responded_at": "@before:sent_at"}),
    ("survey_responses", "future_timestamp", {"response_id": "@key", "sent_at": FUTURE,
                                              "responded_at": None}),
    ("csm_pulse", "null_key", {"recorded_at": None}),
    ("csm_pulse", "duplicate_key", "@dup"),
    ("csm_pulse", "unknown_account", {"account_id": NOBODY}),
    ("csm_pulse", "unknown_enum_value", {"recorded_at": "@before:recorded_at", "pulse": "blue"}),
    ("csm_pulse", "future_timestamp", {"recorded_at": FUTURE}),
    ("csm_activities", "null_key", {"activity_id": None}),
    ("csm_activities", "duplicate_key", "@dup"),
    ("csm_activities", "unknown_account", {"activity_id": "@key", "account_id": NOBODY}),
    ("csm_activities", "unparseable_value", {"activity_id": "@key", "occurred_at": None}),
    ("csm_activities", "unknown_enum_value", {"activity_id": "@key", "activity_type": "lunch"}),
    ("csm_activities", "future_timestamp", {"activity_id": "@key", "occurred_at": FUTURE}),
]
# values only a text column can hold: a typed one that does not parse
PLANTS_TEXT_ONLY = [
    ("accounts", "unparseable_value", {"account_id": "@key", "created_at": "someday"}),
    ("product_events", "unparseable_value", {"event_id": "@key", "quantity": "a few"}),
    ("invoices", "unparseable_value", {"invoice_id": "@key", "issued_at": "13/13/2026"}),
    ("support_tickets", "unparseable_value", {"ticket_id": "@key", "is_bug": "perhaps"}),
    ("csm_pulse", "unparseable_value", {"recorded_at": "last tuesday"}),
]


def _build(work: Path, db: Path, *args: str) -> None:
    """dbt build of the selection (seeds and models, no tests)."""
    _dbt(work, db, "build", *args, "--exclude", "resource_type:test", "resource_type:unit_test")


def _templates(con) -> dict[str, dict]:
    """One clean row of the sample per table (read before planting)."""
    templates = {}
    for table, entry in raw_contract.raw_inputs().items():
        cur = con.execute(f"select * from raw.{table} order by {', '.join(entry['key'])} limit 1")
        names = [d[0] for d in cur.description]
        templates[table] = dict(zip(names, cur.fetchone(), strict=True))
    return templates


def _plant(con, plants, templates, n0: int = 0) -> list[tuple[str, str | None, str]]:
    """Insert the planted rows; return (table, record_key, reason) of each."""
    contract = raw_contract.raw_inputs()
    planted = []
    for i, (table, reason, change) in enumerate(plants, start=n0):
        key = contract[table]["key"]
        row = dict(templates[table])
        names = list(row)
        if change != "@dup":
            for column, value in change.items():
                if value == "@key":
                    value = f"planted_{i:03d}"
                elif isinstance(value, str) and value.startswith("@before:"):
                    value = row[value.split(":")[1]] - dt.timedelta(days=1)
                row[column] = value
        con.execute(f"insert into raw.{table} ({', '.join(names)}) values "
                    f"({', '.join('?' for _ in names)})",
                    [None if v is None else str(v) if isinstance(v, str) else v
                     for v in row.values()])
        if len(key) > 1:  # csm_pulse: account_id|recorded_at, null when a part is missing
            parts = [row[k] for k in key]
            record = None if None in parts else "|".join(str(p) for p in parts)
        else:
            record = row[key[0]]
        planted.append((table, None if record is None else str(record), reason))
    return planted


def _as_text(con) -> None:
    """Store every raw column as text (like a CSV load)."""
    for table, entry in raw_contract.raw_inputs().items():
        cols = ", ".join(f"cast({c} as varchar) as {c}" for c in entry["columns"])
        con.execute(f"create or replace table raw.{table} as select {cols} from raw.{table}")


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def builds(raw_db, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("raw_inputs")
    typed, text, daily = work / "typed" / "health.duckdb", work / "text" / "health.duckdb", \
        work / "daily" / "health.duckdb"
    for db in (typed, text):
        db.parent.mkdir()
        shutil.copy(raw_db, db)
    with duckdb.connect(str(typed)) as con:
        templates = _templates(con)
        planted = _plant(con, PLANTS_TYPED, templates)
    with duckdb.connect(str(text)) as con:
        _plant(con, PLANTS_TYPED, templates)
        _as_text(con)
        text_planted = planted + _plant(con, PLANTS_TEXT_ONLY, templates, n0=len(PLANTS_TYPED))
    _build(work / "typed", typed, "--select", "+stg_quarantine", "+int_product_activity_daily")
    _build(work / "text", text, "--select", "+stg_quarantine")
    # the daily usage table, aggregated from the clean events of the typed build
    daily.parent.mkdir()
    shutil.copy(typed, daily)
    with duckdb.connect(str(daily)) as con:
        con.execute("""
            create table raw.product_usage_daily as
            select account_id, event_date as usage_date, user_id, event_type,
                   sum(quantity) as event_count
            from staging.stg_product__events
            group by account_id, event_date, user_id, event_type""")
        con.execute("drop table raw.product_events")  # never read
    _build(work / "daily", daily, "--select", "+int_product_activity_daily",
         "--vars", "{product_usage_daily_relation: raw.product_usage_daily}")
    return {"typed": typed, "text": text, "daily": daily,
            "planted": planted, "text_planted": text_planted}


def test_sources_yml_and_generator_follow_the_contract():
    contract = raw_contract.raw_inputs()
    declared = {}
    for path in sorted((ROOT / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                declared[table["name"]] = (source["name"], [c["name"] for c in table["columns"]],
                                           str(table.get("config", {}).get("enabled", "")))
    assert set(declared) == set(contract)
    for table, entry in contract.items():
        source, columns, enabled = declared[table]
        assert source == entry["source"], table
        assert columns == list(entry["columns"]), table
        assert (entry["enabled_by"] or "") in enabled, table
        assert [c for c, _ in generate.RAW_SCHEMA[table]] == list(entry["columns"]), table
    assert raw_contract.required_tables() == ("accounts", "subscriptions", "product_events")


def test_every_base_model_is_the_quarantine_macro():
    for table, model in BASE_MODELS.items():
        sql = next((ROOT / "models" / "staging").glob(f"*/{model}.sql")).read_text()
        assert f"'{table}'" in sql.split("quarantine_base(", 1)[1][:40], model


@pytest.mark.parametrize("storage", ["typed", "text"])
def test_a_planted_row_per_reason_is_quarantined(builds, storage):
    planted = builds["planted" if storage == "typed" else "text_planted"]
    got = _rows(builds[storage],
                "select source_table, record_key, reason from staging.stg_quarantine")
    for table, record, reason in planted:
        if record is not None:
            assert (table, record, reason) in got, (storage, table, record, reason)
    # nothing else: the tiny sample itself is clean
    expected = sorted((t, r) for t, _, r in planted)
    assert sorted((t, r) for t, _, r in got) == expected


def test_typed_and_text_storage_give_the_same_rows(builds):
    with duckdb.connect(str(builds["typed"]), read_only=True) as con:
        con.execute(f"attach '{builds['text']}' as text_db (read_only)")
        for model in BASE_MODELS.values():
            types = con.execute(
                "select table_catalog, column_name, data_type from information_schema.columns "
                f"where table_schema = 'staging' and table_name = '{model}' order by all"
            ).fetchall()
            by_db = {db: [(c, t) for d, c, t in types if d == db] for db in ("health", "text_db")}
            assert by_db["health"] == by_db["text_db"], model  # same columns, same types
            listed = ", ".join(c for c, _ in by_db["health"])
            only_typed, only_text = (con.execute(
                f"select count(*) from (select {listed} from {a}.staging.{model} "
                f"except all select {listed} from {b}.staging.{model})").fetchone()[0]
                for a, b in (("health", "text_db"), ("text_db", "health")))
            assert only_typed == 0, model
            assert only_text == sum(BASE_MODELS[t] == model for t, _, _ in PLANTS_TEXT_ONLY), model


def test_daily_usage_table_gives_the_same_usage_model(builds):
    sql = "select * from intermediate.int_product_activity_daily order by all"
    from_events, from_daily = _rows(builds["typed"], sql), _rows(builds["daily"], sql)
    assert len(from_events) > 1000
    assert from_daily == from_events
    bounds = "select data_end_date, as_of_date from staging.stg_data_bounds"
    assert _rows(builds["daily"], bounds) == _rows(builds["typed"], bounds)
