-- One row per clean CSM pulse reading; rejected rows are in stg_quarantine.
-- Empty when var('enable_csm_pulse') is false.
with

base as (
    select * from {{ ref('base_crm__csm_pulse') }}
),

final as (
    select
        pulse_id,
        account_id,
        recorded_at,
        pulse,
        recorded_by,
        note
    from base
    where quarantine_reason is null
)

select * from final
