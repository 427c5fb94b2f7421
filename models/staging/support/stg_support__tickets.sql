-- One row per clean support ticket; rejected rows are in stg_quarantine. Empty
-- when var('enable_support_tickets') is false.
with

base as (
    select * from {{ ref('base_support__tickets') }}
),

final as (
    select
        ticket_id,
        account_id,
        created_at,
        first_response_at,
        resolved_at,
        severity,
        status,
        reopen_count,
        is_escalated,
        is_bug
    from base
    where quarantine_reason is null
)

select * from final
