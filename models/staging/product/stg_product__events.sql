-- One row per clean product event, classified by the event_types seed
-- (event_category 'unknown' when the type is not listed; counted, never
-- guessed). Rejected rows are in stg_quarantine.
with

base as (
    select * from {{ ref('base_product__events') }}
),

final as (
    select
        event_id,
        account_id,
        user_id,
        event_type,
        event_category,
        occurred_at,
        event_date,
        quantity
    from base
    where quarantine_reason is null
)

select * from final
