-- Payment attempts with their quarantine verdict (see base_crm__accounts).
{% set statuses = ['succeeded', 'failed'] %}
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['attempted_at', 'amount'], required=['attempted_at', 'amount']),
        unparseable_detail(['attempted_at', 'amount'], required=['attempted_at', 'amount']),
    ),
    (
        'unknown_enum_value',
        enum_condition('status', statuses),
        enum_detail('status', statuses),
    ),
    (
        'negative_amount',
        'amount < 0',
        dbt.concat(["'amount '", quarantine_text('amount__raw'), "' is negative'"]),
    ),
    (
        'future_timestamp',
        'cast(attempted_at as date) > bounds.data_end_date',
        dbt.concat(["'attempted_at '", quarantine_text('attempted_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('billing', 'payments', [
        'payment_id', 'invoice_id', 'account_id', 'attempted_at', 'amount', 'status', 'failure_reason',
    ], enabled=var('enable_payments')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('payment_id') }} as payment_id,
        {{ clean_text('invoice_id') }} as invoice_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('attempted_at') }} as attempted_at__raw,
        {{ clean_text('amount') }} as amount__raw,
        lower({{ clean_text('status') }}) as status,
        {{ clean_text('failure_reason') }} as failure_reason
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('attempted_at__raw', dbt.type_timestamp()) }} as attempted_at,
        {{ try_cast('amount__raw', type_double()) }} as amount
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
    {{ number_key_copies('checked', 'payment_id', [
        'invoice_id',
        'account_id',
        'attempted_at__raw',
        'amount__raw',
        'status',
        'failure_reason',
    ]) }}
),

final as (
    select
        payment_id,
        invoice_id,
        account_id,
        attempted_at,
        amount,
        status,
        failure_reason,
        payment_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['payment_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['payment_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
