-- One row per clean account; rejected rows are in stg_quarantine.
with

base as (
    select * from {{ ref('base_crm__accounts') }}
),

final as (
    select
        account_id,
        account_name,
        segment,
        industry,
        region,
        csm_owner,
        created_at
    from base
    where quarantine_reason is null
)

select * from final
