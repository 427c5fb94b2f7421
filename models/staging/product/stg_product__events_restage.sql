{{ config(materialized='table') }}
-- The row keys base_product__events restages on an incremental staging plan
-- (restage_key), and the event days their stored rows had (old_day, for the
-- day digests); empty on a full plan. docs/perf-notes/stg.md says why this
-- set is exact. A key is touched when
-- - a raw row of it is in a bucket whose raw rows changed (current raw), or a
--   stored row of it came from such a bucket (a removed or changed raw row);
-- - a stored row of it has an account whose presence in stg_crm__accounts
--   changed (unknown_account);
-- - a stored row of it is dated between the previous and this build's data
--   end (future_timestamp).
-- Every raw row of a touched key is restaged, on whatever day it lies, so the
-- duplicates, copy numbers and row ids are those of a full build.
{%- set incremental = execute is sameas true and staging_restage_mode() == 'incremental' %}
{%- set base = staging_relation('base_product__events') %}
{%- set built = staging_relation('stg_product__events_state_built') %}
-- depends_on: {{ ref('stg_product__events_plan') }}
-- depends_on: {{ ref('stg_product__events_state') }}
-- depends_on: {{ ref('stg_crm__accounts') }}
-- depends_on: {{ ref('stg_config__event_types') }}
-- depends_on: {{ ref('stg_data_bounds') }}
with

{%- if incremental %}

state as (
    select * from {{ ref('stg_product__events_state') }}
),

built as (
    select * from {{ built }}
),

plan as (
    select * from {{ ref('stg_product__events_plan') }}
),

state_days as (
    select
        bucket,
        n_rows,
        digest
    from state
    where state_kind = 'raw_day'
),

built_days as (
    select
        bucket,
        n_rows,
        digest
    from built
    where state_kind = 'raw_day'
),

{#- the buckets on one side only or with other rows: the symmetric difference #}
changed_buckets as (
    select bucket from (select * from state_days except select * from built_days) as added
    union
    select bucket from (select * from built_days except select * from state_days) as removed
),

changed_accounts as (
    select coalesce(current_accounts.item, built_accounts.item) as account_id
    from (select item from state where state_kind = 'account') as current_accounts
    full outer join (select item from built where state_kind = 'account') as built_accounts
        on current_accounts.item = built_accounts.item
    where current_accounts.item is null or built_accounts.item is null
),

data_ends as (
    select
        case when previous_data_end_date < data_end_date then previous_data_end_date else data_end_date end
            as low_end,
        case when previous_data_end_date < data_end_date then data_end_date else previous_data_end_date end
            as high_end
    from plan
),

raw_keys as (
    {{ quarantine_base('product_events', restage={
        'keys_only': true,
        'raw_where': staging_raw_bucket('product_events') ~ ' in (select bucket from changed_buckets)',
    }, **product_events_rules()) | indent(4) }}
),

stored_keys as (
    select stored.event_id as restage_key
    from {{ base }} as stored
    cross join data_ends
    where
        {{ health_incremental_earliest_day(['stored.event_date']) }} in (select bucket from changed_buckets)
        or stored.account_id in (select account_id from changed_accounts)
        or (stored.event_date > data_ends.low_end and stored.event_date <= data_ends.high_end)
),

restage_keys as (
    select restage_key from raw_keys
    union
    select restage_key from stored_keys
),

old_days as (
    select distinct {{ health_incremental_earliest_day(['stored.event_date']) }} as old_day
    from {{ base }} as stored
    inner join restage_keys
        on stored.event_id = restage_keys.restage_key
),

final as (
    select
        restage_key,
        cast(null as date) as old_day
    from restage_keys
    union all
    select
        cast(null as {{ dbt.type_string() }}) as restage_key,
        old_day
    from old_days
)

{%- else %}

    final as (
        select
            cast(null as {{ dbt.type_string() }}) as restage_key,
            cast(null as date) as old_day
        from (select 1 as no_row) as nothing
        where 1 = 0
    )

{%- endif %}

select * from final
