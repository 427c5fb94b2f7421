-- One row per clean CSM activity; rejected rows are in stg_quarantine. Empty
-- when var('enable_csm_activities') is false.
with

base as (
    select * from {{ ref('base_crm__csm_activities') }}
),

final as (
    select
        activity_id,
        account_id,
        occurred_at,
        activity_type,
        status,
        is_executive
    from base
    where quarantine_reason is null
)

select * from final
