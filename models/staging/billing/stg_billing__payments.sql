-- One row per clean payment attempt; rejected rows are in stg_quarantine.
-- Empty when var('enable_payments') is false.
with

base as (
    select * from {{ ref('base_billing__payments') }}
),

final as (
    select
        payment_id,
        invoice_id,
        account_id,
        attempted_at,
        amount,
        status,
        failure_reason
    from base
    where quarantine_reason is null
)

select * from final
