-- Subscriptions with their quarantine verdict (see base_crm__accounts).
-- end_date is a contract term, not a fact: only start_date can be in the
-- future of the data.
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(
            ['start_date', 'end_date', 'mrr', 'seats', 'billing_period_months'],
            required=['start_date', 'mrr', 'billing_period_months'],
        ),
        unparseable_detail(
            ['start_date', 'end_date', 'mrr', 'seats', 'billing_period_months'],
            required=['start_date', 'mrr', 'billing_period_months'],
        ),
    ),
    (
        'out_of_range_value',
        'billing_period_months < 1',
        dbt.concat(["'billing_period_months '", quarantine_text('billing_period_months__raw'), "' is below 1'"]),
    ),
    (
        'out_of_range_value',
        'seats < 0',
        dbt.concat(["'seats '", quarantine_text('seats__raw'), "' is negative'"]),
    ),
    (
        'negative_amount',
        'mrr < 0',
        dbt.concat(["'mrr '", quarantine_text('mrr__raw'), "' is negative'"]),
    ),
    (
        'end_before_start',
        'end_date < start_date',
        dbt.concat(["'end_date '", quarantine_text('end_date__raw'), "' is before start_date '", quarantine_text('start_date__raw')]),
    ),
    (
        'future_timestamp',
        'start_date > bounds.data_end_date',
        dbt.concat(["'start_date '", quarantine_text('start_date__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('billing', 'subscriptions', [
        'subscription_id', 'account_id', 'plan', 'start_date', 'end_date', 'mrr', 'seats',
        'billing_period_months',
    ]) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('subscription_id') }} as subscription_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('plan') }} as plan,
        {{ clean_text('start_date') }} as start_date__raw,
        {{ clean_text('end_date') }} as end_date__raw,
        {{ clean_text('mrr') }} as mrr__raw,
        {{ clean_text('seats') }} as seats__raw,
        {{ clean_text('billing_period_months') }} as billing_period_months__raw
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('start_date__raw', 'date') }} as start_date,
        {{ try_cast('end_date__raw', 'date') }} as end_date,
        {{ try_cast('mrr__raw', type_double()) }} as mrr,
        {{ try_cast('seats__raw', dbt.type_int()) }} as seats,
        {{ try_cast('billing_period_months__raw', dbt.type_int()) }} as billing_period_months
    from cleaned
),

checked as (
    select
        typed.*,
        {{ quarantine_reason_case(checks) }} as row_reason,
        {{ quarantine_detail_case(checks) }} as row_detail
    from typed
    left join accounts
        on typed.account_id = accounts.account_id
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', 'subscription_id', [
        'account_id',
        'plan',
        'start_date__raw',
        'end_date__raw',
        'mrr__raw',
        'seats__raw',
        'billing_period_months__raw',
    ]) }}
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
        billing_period_months,
        subscription_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['subscription_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['subscription_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
