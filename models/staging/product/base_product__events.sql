{{ config(materialized='table') }}
-- Product events with their quarantine verdict (see base_crm__accounts).
-- Materialized as a table: it dedupes millions of events and is read by both
-- stg_product__events and stg_quarantine.
-- event_id is nullable in raw: a missing id is replaced by a hash of the
-- event's content, so two identical id-less rows count as one duplicate.
-- Unknown event types are kept (event_category 'unknown'), never guessed.
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['occurred_at', 'quantity'], required=['occurred_at', 'event_type']),
        unparseable_detail(['occurred_at', 'quantity'], required=['occurred_at', 'event_type']),
    ),
    (
        'out_of_range_value',
        'quantity < 0',
        dbt.concat(["'quantity '", quarantine_text('quantity__raw'), "' is negative'"]),
    ),
    (
        'future_timestamp',
        'cast(occurred_at as date) > bounds.data_end_date',
        dbt.concat(["'occurred_at '", quarantine_text('occurred_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('product', 'product_events', [
        'event_id', 'account_id', 'user_id', 'event_type', 'occurred_at', 'quantity',
    ]) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

event_types as (
    select
        event_type,
        category
    from {{ ref('stg_config__event_types') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('event_id') }} as event_id__raw,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('user_id') }} as user_id,
        lower({{ clean_text('event_type') }}) as event_type,
        {{ clean_text('event_type') }} as event_type__raw,
        {{ clean_text('occurred_at') }} as occurred_at__raw,
        {{ clean_text('quantity') }} as quantity__raw
    from raw_source
),

typed as (
    select
        *,
        coalesce(
            event_id__raw,
            {{ health_surrogate_key(['account_id', 'user_id', 'event_type', 'occurred_at__raw', 'quantity__raw']) }}
        ) as event_id,
        {{ try_cast('occurred_at__raw', dbt.type_timestamp()) }} as occurred_at,
        {{ try_cast('quantity__raw', type_double()) }} as quantity
    from cleaned
),

checked as (
    select
        typed.*,
        coalesce(event_types.category, 'unknown') as event_category,
        {{ quarantine_reason_case(checks) }} as row_reason,
        {{ quarantine_detail_case(checks) }} as row_detail
    from typed
    left join accounts
        on typed.account_id = accounts.account_id
    left join event_types
        on typed.event_type = event_types.event_type
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', 'event_id', [
        'account_id',
        'user_id',
        'event_type__raw',
        'occurred_at__raw',
        'quantity__raw',
    ]) }}
),

final as (
    select
        event_id,
        account_id,
        user_id,
        event_type,
        event_category,
        occurred_at,
        cast(occurred_at as date) as event_date,
        coalesce(quantity, 1.0) as quantity,
        event_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['account_id'], 'key_copy_number', 'row_reason') }} as quarantine_reason,
        {{ key_quarantine_detail(['account_id'], 'key_copy_number', 'row_detail') }} as quarantine_detail
    from numbered
)

select * from final
