-- One row per clean subscription line; rejected rows are in stg_quarantine.
with

base as (
    select * from {{ ref('base_billing__subscriptions') }}
),

final as (
    select
        subscription_id,
        account_id,
        plan,
        start_date,
        end_date,
        mrr,
        seats,
        billing_period_months
    from base
    where quarantine_reason is null
)

select * from final
