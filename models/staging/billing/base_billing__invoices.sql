-- Invoices with their quarantine verdict (see base_crm__accounts).
-- Only issued_at is checked against the end of the data: paid_at may
-- legitimately be loaded a little fresher than the product events.
{% set statuses = ['open', 'paid', 'void', 'uncollectible'] %}
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['issued_at', 'due_date', 'amount', 'paid_at'], required=['issued_at', 'amount']),
        unparseable_detail(['issued_at', 'due_date', 'amount', 'paid_at'], required=['issued_at', 'amount']),
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
        'end_before_start',
        'due_date < issued_at',
        dbt.concat(["'due_date '", quarantine_text('due_date__raw'), "' is before issued_at '", quarantine_text('issued_at__raw')]),
    ),
    (
        'end_before_start',
        'cast(paid_at as date) < issued_at',
        dbt.concat(["'paid_at '", quarantine_text('paid_at__raw'), "' is before issued_at '", quarantine_text('issued_at__raw')]),
    ),
    (
        'future_timestamp',
        'issued_at > bounds.data_end_date',
        dbt.concat(["'issued_at '", quarantine_text('issued_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('billing', 'invoices', [
        'invoice_id', 'account_id', 'issued_at', 'due_date', 'amount', 'paid_at', 'status',
    ], enabled=var('enable_invoices')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('invoice_id') }} as invoice_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('issued_at') }} as issued_at__raw,
        {{ clean_text('due_date') }} as due_date__raw,
        {{ clean_text('amount') }} as amount__raw,
        {{ clean_text('paid_at') }} as paid_at__raw,
        lower({{ clean_text('status') }}) as status
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('issued_at__raw', 'date') }} as issued_at,
        {{ try_cast('due_date__raw', 'date') }} as due_date,
        {{ try_cast('amount__raw', type_double()) }} as amount,
        {{ try_cast('paid_at__raw', dbt.type_timestamp()) }} as paid_at
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
    {{ number_key_copies('checked', 'invoice_id', [
        'account_id',
        'issued_at__raw',
        'due_date__raw',
        'amount__raw',
        'paid_at__raw',
        'status',
    ]) }}
),

final as (
    select
        invoice_id,
        account_id,
        issued_at,
        due_date,
        amount,
        paid_at,
        status,
        invoice_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['invoice_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['invoice_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
