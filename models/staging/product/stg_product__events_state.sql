{{ config(materialized='table') }}
-- What the verdicts of base_product__events depend on, as of this build (one
-- row per item; macros/staging/incremental_staging.sql, docs/perf-notes/stg.md):
-- raw_day       per bucket of raw product_events rows (staging_raw_bucket: the
--               time column's day as staged), the row count and an
--               order-independent digest of every raw column (health_day_digest)
-- account       each clean account id (the unknown_account check)
-- data_end_date the last day of data (the future_timestamp check)
-- config        a digest of the event_types seed (the event_category join),
--               the project's code version and the raw storage types
-- base_product__events copies it (stg_product__events_state_built) in the
-- transaction that writes its rows; stg_product__events_plan compares the two.
{%- set live = execute is sameas true %}
{%- set raw_columns = raw_input('product_events')['columns'] | map(attribute='name') | list if live
    else ['event_id', 'account_id', 'user_id', 'event_type', 'occurred_at', 'quantity'] %}
{%- set storage = raw_input_types('product_events') if live else {} %}
{%- set storage_text = [] %}
{%- for name in storage | sort %}{% do storage_text.append(name ~ ':' ~ storage[name]) %}{% endfor %}
{%- set code_text = (health_code_version() | trim) ~ '|' ~ storage_text | join(',') %}
with

raw_source as (
    {{ raw_input_select('product_events', raw_columns) }}
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

raw_days as (
    select
        {{ staging_raw_bucket('product_events') }} as bucket,
        {{ raw_columns | join(', ') }}
    from raw_source
),

final as (
    select
        'raw_day' as state_kind,
        bucket,
        cast(null as {{ dbt.type_string() }}) as item,
        cast(count(*) as {{ dbt.type_bigint() }}) as n_rows,
        {{ health_day_digest(raw_columns) }} as digest
    from raw_days
    group by bucket
    union all
    select distinct
        'account' as state_kind,
        cast(null as date) as bucket,
        account_id as item,
        cast(1 as {{ dbt.type_bigint() }}) as n_rows,
        '' as digest
    from accounts
    where account_id is not null
    union all
    select
        'data_end_date' as state_kind,
        data_end_date as bucket,
        cast(null as {{ dbt.type_string() }}) as item,
        cast(1 as {{ dbt.type_bigint() }}) as n_rows,
        '' as digest
    from bounds
    union all
    select
        'config' as state_kind,
        cast(null as date) as bucket,
        cast(null as {{ dbt.type_string() }}) as item,
        cast(count(*) as {{ dbt.type_bigint() }}) as n_rows,
        {{ dbt.concat([health_day_digest(['event_type', 'category']), "'|" ~ code_text ~ "'"]) }} as digest
    from event_types
)

select * from final
