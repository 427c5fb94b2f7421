-- CSM activities with their quarantine verdict (see base_crm__accounts).
{% set activity_types = ['meeting', 'qbr', 'call', 'email'] %}
{% set statuses = ['held', 'no_show', 'cancelled'] %}
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['occurred_at', 'is_executive'], required=['occurred_at']),
        unparseable_detail(['occurred_at', 'is_executive'], required=['occurred_at']),
    ),
    (
        'unknown_enum_value',
        enum_condition('activity_type', activity_types),
        enum_detail('activity_type', activity_types),
    ),
    (
        'unknown_enum_value',
        enum_condition('status', statuses),
        enum_detail('status', statuses),
    ),
    (
        'future_timestamp',
        'cast(occurred_at as date) > bounds.data_end_date',
        dbt.concat(["'occurred_at '", quarantine_text('occurred_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('crm', 'csm_activities', [
        'activity_id', 'account_id', 'occurred_at', 'activity_type', 'status', 'is_executive',
    ], enabled=var('enable_csm_activities')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('occurred_at') }} as occurred_at__raw,
        lower({{ clean_text('activity_type') }}) as activity_type,
        lower({{ clean_text('status') }}) as status,
        lower({{ clean_text('is_executive') }}) as is_executive__raw
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('occurred_at__raw', dbt.type_timestamp()) }} as occurred_at,
        {{ try_cast('is_executive__raw', dbt.type_boolean()) }} as is_executive
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
    {{ number_key_copies('checked', 'activity_id', [
        'account_id',
        'occurred_at__raw',
        'activity_type',
        'status',
        'is_executive__raw',
    ]) }}
),

final as (
    select
        activity_id,
        account_id,
        occurred_at,
        activity_type,
        status,
        is_executive,
        activity_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['activity_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['activity_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
