"""A company the warehouse has never seen, as three CSV files (SPEC §1).

Northwind Ledger, invented for the bring-your-own-data tests: its own segment
names (none of them in seeds/segment_profiles.csv), its own event types (one
of them deliberately missing from its event_types seed), integer `seats`,
one subscription row per monthly term (as many billing systems export them),
and a subscription export one month older than the product event export.
A few bad rows are planted and listed in BAD_ROWS with the reason staging
must give them. Nothing here comes from scripts/healthwh/generate.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

SEGMENTS = ("starter", "scale", "flagship")
# event type -> category of the company's own seed; UNMAPPED is not in it
EVENT_TYPES = {
    "ledger_opened": "login",
    "invoice_reconciled": "core_action",
    "journal_posted": "core_action",
    "report_shared": "value_event",
    "bank_feed_synced": "integration",
    "sync_failed": "negative",
}
UNMAPPED = "ai_assistant_prompt"

FIRST_DAY = dt.date(2025, 1, 1)
SUBSCRIPTIONS_EXPORTED = dt.date(2026, 5, 31)  # no subscription row starts later
EVENTS_EXPORTED = dt.date(2026, 6, 30)  # product events run 30 days further
N_ACCOUNTS = 24
CHURNED = "NW-007"  # stops after its February 2026 term

# (table, record_key, reason) of every planted bad row; record_key as staging
# reports it (the event_id, the subscription_id, the account_id)
BAD_ROWS_CSV = [
    ("product_events", "bad-ts-1", "unparseable_value"),  # 13/11/2025 10:00
    ("product_events", "bad-nan-1", "unparseable_value"),  # quantity NaN
    ("product_events", "bad-inf-1", "unparseable_value"),  # quantity Infinity
    ("product_events", "bad-inf-2", "unparseable_value"),  # quantity -inf
    ("product_events", "stray-1", "future_timestamp"),  # 50 days after the rest
    ("product_events", "bad-acct-1", "unknown_account"),
    ("subscriptions", "NW-S-BAD-1", "unparseable_value"),  # mrr NaN
    ("subscriptions", "NW-S-BAD-2", "unparseable_value"),  # seats "twelve"
    ("accounts", "NW-024", "duplicate_key"),
]
# the typed raw_schema route cannot hold text in a timestamp column
BAD_ROWS_TYPED = [row for row in BAD_ROWS_CSV
                  if row[1] not in {"bad-ts-1", "NW-S-BAD-2"}]

OFFSET_EVENT = ("tz-offset-1", "2026-03-10T23:30:00-05:00", dt.datetime(2026, 3, 11, 4, 30))
ZONE_EVENT = ("tz-zone-1", "2026-03-10 08:00:00 Asia/Tokyo", dt.datetime(2026, 3, 9, 23, 0))


@dataclass
class Company:
    folder: Path
    accounts: Path
    subscriptions: Path
    product_events: Path
    subscription_rows: list[dict]


def _add_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, 28))


def _write(path: Path, header: list[str], rows: list[list], crlf_every: int = 0) -> None:
    """CSV with LF line endings, or a CRLF every `crlf_every` lines (a file
    stitched together from two exports)."""
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for i, row in enumerate(rows):
            if crlf_every and i % crlf_every == 0:
                fh.write(",".join("" if v is None else str(v) for v in row) + "\r\n")
            else:
                writer.writerow(["" if v is None else v for v in row])


def make_company(folder: Path) -> Company:
    rng = random.Random(20260310)
    folder.mkdir(parents=True, exist_ok=True)
    accounts, subs, events = [], [], []
    for n in range(1, N_ACCOUNTS + 1):
        account_id = f"NW-{n:03d}"
        segment = SEGMENTS[n % 3]
        start = FIRST_DAY + dt.timedelta(days=rng.randrange(0, 150))
        accounts.append([account_id, f"Client {n}", segment.title(), "accounting", "emea",
                         f"csm{n % 4}", f"{start - dt.timedelta(days=3)} 09:00:00"])
        seats = rng.randrange(2, 30)
        term_start, k = start, 0
        last_day = dt.date(2026, 2, 28) if account_id == CHURNED else SUBSCRIPTIONS_EXPORTED
        while term_start <= last_day:
            k += 1
            term_end = _add_month(term_start)
            subs.append({"subscription_id": f"NW-S-{n:03d}-{k:03d}", "account_id": account_id,
                         "plan": "ledger_pro", "start_date": term_start, "end_date": term_end,
                         "mrr": round(seats * 19.5, 2), "seats": seats,
                         "billing_period_months": 1})
            term_start = term_end
        # customers keep using the product after the subscription export
        active_until = (term_start if account_id == CHURNED
                        else EVENTS_EXPORTED + dt.timedelta(days=1))
        day = start
        types = list(EVENT_TYPES) + [UNMAPPED]
        weights = [3, 4, 3, 2, 1, 1, 1]
        while day < active_until:
            for j in range(rng.randrange(2, 6)):
                etype = rng.choices(types, weights)[0]
                ts = dt.datetime.combine(day, dt.time(8 + j * 2, rng.randrange(60)))
                events.append([f"{account_id}-{day:%Y%m%d}-{j}", account_id, f"{account_id}-u{j}",
                               etype, ts.strftime("%Y-%m-%d %H:%M:%S"),
                               "" if j % 3 else rng.randrange(1, 4)])
            day += dt.timedelta(days=1)
    # planted rows
    accounts.append(["NW-024", "Client 24 (old CRM copy)", "Flagship", "accounting", "emea",
                     "csm0", "2025-01-05 09:00:00"])
    events += [
        ["bad-ts-1", "NW-001", "NW-001-u0", "ledger_opened", "13/11/2025 10:00", ""],
        ["bad-nan-1", "NW-001", "NW-001-u0", "journal_posted", "2026-02-02 10:00:00", "NaN"],
        ["bad-inf-1", "NW-001", "NW-001-u0", "journal_posted", "2026-02-02 11:00:00", "Infinity"],
        ["bad-inf-2", "NW-001", "NW-001-u0", "journal_posted", "2026-02-02 12:00:00", "-inf"],
        ["stray-1", "NW-002", "NW-002-u0", "ledger_opened",
         f"{EVENTS_EXPORTED + dt.timedelta(days=50)} 10:00:00", ""],
        ["bad-acct-1", "NW-999", "x", "ledger_opened", "2026-02-02 10:00:00", ""],
        [OFFSET_EVENT[0], "NW-003", "NW-003-u0", "report_shared", OFFSET_EVENT[1], ""],
        [ZONE_EVENT[0], "NW-003", "NW-003-u0", "report_shared", ZONE_EVENT[1], ""],
    ]
    sub_rows = [[r[c] for c in ("subscription_id", "account_id", "plan", "start_date",
                                "end_date", "mrr", "seats", "billing_period_months")]
                for r in subs]
    sub_rows += [
        ["NW-S-BAD-1", "NW-001", "ledger_pro", "2025-06-01", "2025-07-01", "NaN", 3, 1],
        ["NW-S-BAD-2", "NW-002", "ledger_pro", "2025-06-01", "2025-07-01", "10", "twelve", 1],
    ]
    company = Company(folder, folder / "accounts.csv", folder / "subscriptions.csv",
                      folder / "product_events.csv", subs)
    _write(company.accounts, ["account_id", "account_name", "segment", "industry", "region",
                              "csm_owner", "created_at"], accounts)
    _write(company.subscriptions, ["subscription_id", "account_id", "plan", "start_date",
                                   "end_date", "mrr", "seats", "billing_period_months"],
           sub_rows, crlf_every=7)
    _write(company.product_events, ["event_id", "account_id", "user_id", "event_type",
                                    "occurred_at", "quantity"], events, crlf_every=5)
    return company


def write_event_seed(path: Path) -> None:
    """The company's event_types seed: only the two required columns."""
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["event_type", "category"])
        for etype, category in EVENT_TYPES.items():
            writer.writerow([etype, category])


def load_typed(company: Company, db: Path, schema: str) -> None:
    """The raw_schema route: the same data as typed tables, the way a loader
    would write them (integer seats, double mrr / quantity with NaN and
    Infinity, TIMESTAMPTZ occurred_at). Values a typed column cannot hold
    (BAD_ROWS_CSV minus BAD_ROWS_TYPED) are left out."""
    import duckdb

    con = duckdb.connect(str(db))
    try:
        con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"""create or replace table {schema}.accounts as
            select account_id, account_name, segment, industry, region, csm_owner,
                   cast(created_at as timestamp) as created_at
            from read_csv('{company.accounts}', all_varchar = true)"""
        )
        con.execute(
            f"""create or replace table {schema}.subscriptions as
            select subscription_id, account_id, plan, cast(start_date as date) as start_date,
                   cast(end_date as date) as end_date, cast(mrr as double) as mrr,
                   cast(seats as integer) as seats,
                   cast(billing_period_months as integer) as billing_period_months
            from read_csv('{company.subscriptions}', all_varchar = true, strict_mode = false)
            where subscription_id != 'NW-S-BAD-2'"""
        )
        con.execute(
            f"""create or replace table {schema}.product_events as
            select event_id, account_id, user_id, event_type,
                   cast(occurred_at as timestamptz) as occurred_at,
                   cast(quantity as double) as quantity
            from read_csv('{company.product_events}', all_varchar = true, strict_mode = false)
            where event_id != 'bad-ts-1'"""
        )
    finally:
        con.close()
