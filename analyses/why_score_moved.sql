-- Why did this account's score move between date A and date B?
-- One row per component (points_change = subscore_effect + weight_effect),
-- a caps_and_overrides row and the health_score total.
-- Compile with your parameters, then run the SQL in target/compiled/:
--   dbt compile -s why_score_moved \
--     --vars '{why_account_id: A-00042, why_date_a: 2026-08-01, why_date_b: 2026-09-01}'
-- Without vars: every account, as_of_date vs 28 days earlier.
{{ why_score_moved(
    account_id=var('why_account_id', none),
    date_a=var('why_date_a', none),
    date_b=var('why_date_b', none)
) }}
