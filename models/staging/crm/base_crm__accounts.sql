-- Accounts with their quarantine verdict. stg_crm__accounts keeps the clean
-- rows, stg_quarantine the rest, so the rules live in this one place.
{% set checks = [
    (
        'unparseable_value',
        unparseable_condition(['created_at']),
        unparseable_detail(['created_at']),
    ),
    (
        'future_timestamp',
        'cast(created_at as date) > bounds.data_end_date',
        dbt.concat(["'created_at '", quarantine_text('created_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('crm', 'accounts', [
        'account_id', 'account_name', 'segment', 'industry', 'region', 'csm_owner', 'created_at',
    ]) }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        lower({{ clean_text('segment') }}) as segment,
        {{ clean_text('industry') }} as industry,
        {{ clean_text('region') }} as region,
        {{ clean_text('csm_owner') }} as csm_owner,
        {{ clean_text('created_at') }} as created_at__raw
    from raw_source
),

typed as (
    select
        account_id,
        account_name,
        segment,
        industry,
        region,
        csm_owner,
        created_at__raw,
        {{ try_cast('created_at__raw', dbt.type_timestamp()) }} as created_at
    from cleaned
),

checked as (
    select
        typed.*,
        {{ quarantine_reason_case(checks) }} as row_reason,
        {{ quarantine_detail_case(checks) }} as row_detail
    from typed
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', 'account_id', [
        'account_name',
        'segment',
        'industry',
        'region',
        'csm_owner',
        'created_at__raw',
    ]) }}
),

final as (
    select
        account_id,
        account_name,
        segment,
        industry,
        region,
        csm_owner,
        created_at,
        account_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['account_id'], 'key_copy_number', 'row_reason') }} as quarantine_reason,
        {{ key_quarantine_detail(['account_id'], 'key_copy_number', 'row_detail') }} as quarantine_detail
    from numbered
)

select * from final
