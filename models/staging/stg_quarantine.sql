-- Every rejected raw row, with a machine-readable reason (first matching
-- reason of docs/contracts.md wins) and a human-readable detail. Together with
-- the clean staging models it accounts for every raw row:
-- raw rows = clean rows + quarantined rows, per table (tests/staging).
-- The verdicts themselves are assigned once, in the base_* models; the inputs
-- are those of var('raw_inputs').
-- Materialized as a table: it is small (the rejected rows only), while as a
-- view every test and reader of it rescanned all product events.
{{ config(materialized='table') }}
with

final as (
    {{ quarantine_union() }}
)

select * from final
