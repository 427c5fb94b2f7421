-- One row per clean invoice; rejected rows are in stg_quarantine. Empty when
-- var('enable_invoices') is false.
with

base as (
    select * from {{ ref('base_billing__invoices') }}
),

final as (
    select
        invoice_id,
        account_id,
        issued_at,
        due_date,
        amount,
        paid_at,
        status
    from base
    where quarantine_reason is null
)

select * from final
