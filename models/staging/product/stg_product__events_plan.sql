{{ config(materialized='table') }}
-- One row: how this build stages product events (docs/perf-notes/stg.md).
-- incremental: the previous base_product__events and the state it was built
--   from (stg_product__events_state_built) exist, no --full-refresh, the
--   engine keeps it incremental, the event_types seed, the code and the raw
--   storage types are unchanged and the data end is known on both sides;
--   stg_product__events_restage then lists the keys to restage;
-- full: anything else, with the reason (every raw row is restaged).
{%- set live = execute is sameas true %}
{%- set enabled = health_staging_incremental_enabled() | trim == 'true' %}
{%- set full_refresh = (flags.FULL_REFRESH is sameas true) if live else false %}
{%- set base = staging_existing_relation('base_product__events') if live else none %}
{%- set built = staging_existing_relation('stg_product__events_state_built') if live else none %}
with

state as (
    select * from {{ ref('stg_product__events_state') }}
),

built as (
    {%- if built is not none %}
        select * from {{ built }}
    {%- else %}
        select * from state
        where 1 = 0
    {%- endif %}
),

compared as (
    select
        coalesce(state.state_kind, built.state_kind) as state_kind,
        state.bucket,
        built.bucket as built_bucket,
        case
            when state.state_kind is null or built.state_kind is null then 1
            when state.n_rows <> built.n_rows or state.digest <> built.digest then 1
            else 0
        end as is_changed
    from state
    full outer join built
        on
            state.state_kind = built.state_kind
            and (
                state.bucket = built.bucket
                or (state.bucket is null and built.bucket is null)
                or state.state_kind = 'data_end_date'
            )
            and coalesce(state.item, '') = coalesce(built.item, '')
),

summary as (
    select
        sum(case when state_kind = 'raw_day' then is_changed else 0 end) as changed_buckets,
        sum(case when state_kind = 'account' then is_changed else 0 end) as changed_accounts,
        sum(case when state_kind = 'config' then is_changed else 0 end) as changed_config,
        max(case when state_kind = 'data_end_date' then bucket end) as data_end_date,
        max(case when state_kind = 'data_end_date' then built_bucket end) as previous_data_end_date
    from compared
),

decided as (
    select
        *,
        case
            when {{ 'false' if enabled else 'true' }} then 'full: this engine rebuilds staging in full'
            when {{ 'true' if full_refresh else 'false' }} then 'full: --full-refresh'
            when {{ 'true' if base is none else 'false' }} then 'full: no previous base_product__events'
            when {{ 'true' if built is none else 'false' }} then 'full: no staging state from the previous build'
            when changed_config > 0 then 'full: the event_types seed, the code or the raw column types changed'
            when data_end_date is null or previous_data_end_date is null then 'full: no data end date'
        end as full_reason
    from summary
),

final as (
    select
        case when full_reason is null then 'incremental' else 'full' end as mode,
        coalesce(
            full_reason,
            'incremental: ' || cast(changed_buckets as {{ dbt.type_string() }}) || ' raw days changed, '
            || cast(changed_accounts as {{ dbt.type_string() }}) || ' accounts changed presence, data end '
            || cast(previous_data_end_date as {{ dbt.type_string() }}) || ' -> '
            || cast(data_end_date as {{ dbt.type_string() }})
        ) as reason,
        cast(changed_buckets as {{ dbt.type_bigint() }}) as changed_buckets,
        cast(changed_accounts as {{ dbt.type_bigint() }}) as changed_accounts,
        previous_data_end_date,
        data_end_date
    from decided
)

select * from final
