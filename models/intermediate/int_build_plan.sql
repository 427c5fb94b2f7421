{#-
    One row: how this build treats the incremental account-day models
    (int_product_activity_daily, int_*_metrics_daily, int_health_scores_wide,
    fct_account_health_components, fct_account_health_daily), read by them at
    compile time (health_incremental_from) and reported by `health build`.
    - full: `--full-refresh`, no previous build, no input digests stored by it,
      or the configuration changed (config_version differs from the one
      stored with the previous scores): every day is recomputed;
    - incremental: the days from recompute_from on are recomputed, where
      recompute_from = the earliest of the day after the previous build's
      last scored day, the day after this build's last customer day, and
      changed_from (the earliest day whose input rows differ from those the
      previous build read: int_input_day_digests vs
      int_input_day_digests_built), minus lookback_days (var
      incremental_lookback_days, a safety margin, default 0).
      macros/incremental/health_incremental.sql says why that is exact.
-#}
{#- `execute is sameas true`: false while parsing and under the sqlfluff templater -#}
{%- set live = execute is sameas true -%}
{%- set previous = adapter.get_relation(database=this.database, schema=this.schema, identifier='int_health_scores_wide')
    if live else none -%}
{%- set previous_columns = adapter.get_columns_in_relation(previous) if previous is not none else [] -%}
{%- set previous_names = previous_columns | map(attribute='name') | map('lower') | list -%}
{%- if previous is not none and 'config_version' not in previous_names -%}
    {#- scores of a build before incremental builds existed: rebuild -#}
    {%- set previous = none -%}
{%- endif -%}
{%- set previous_digests = adapter.get_relation(
    database=this.database, schema=this.schema, identifier='int_input_day_digests_built'
) if live else none -%}
{%- set detect = var('incremental_detect_changes', true) -%}
{%- set full_refresh = (flags.FULL_REFRESH is sameas true) if live else false -%}
{%- set lookback = health_incremental_lookback_days() | int %}

with

config_version as (
    select * from {{ ref('int_config_version') }}
),

account_days as (
    select * from {{ ref('int_account_days') }}
),

digests as (
    select * from {{ ref('int_input_day_digests') }}
),

previous_build as (
    {%- if previous is not none and not full_refresh %}
    select
        max(date_day) as last_day,
        max(config_version) as config_version
    from {{ previous }}
    {%- else %}
        select
            cast(null as date) as last_day,
            cast(null as {{ dbt.type_string() }}) as config_version
    {%- endif %}
),

{#- the earliest day whose input rows differ (either side may lack a day) #}

changed as (
    {%- if previous_digests is not none and detect %}
    select min(coalesce(digests.fact_day, built.fact_day)) as changed_from
    from digests
    full outer join {{ previous_digests }} as built
        on
            digests.input_name = built.input_name
            and digests.fact_day = built.fact_day
    where
        digests.fact_day is null
        or built.fact_day is null
        or digests.n_rows <> built.n_rows
        or digests.digest <> built.digest
    {%- else %}
        select cast(null as date) as changed_from
        from digests
        where 1 = 0
    {%- endif %}
),

changed_from as (
    select max(changed_from) as changed_from
    from changed
),

this_build as (
    select max(date_day) as last_day
    from account_days
),

decided as (
    select
        previous_build.last_day as previous_last_day,
        this_build.last_day,
        changed_from.changed_from,
        previous_build.config_version as previous_config_version,
        config_version.config_version,
        case
            when {{ 'true' if full_refresh else 'false' }} then 'full refresh requested (--full-refresh)'
            when previous_build.last_day is null then 'no previous build'
            when {{ 'true' if previous_digests is none and detect else 'false' }}
                then 'no input digests from the previous build'
            when previous_build.config_version is null or previous_build.config_version <> config_version.config_version
                then 'config changed (config_version ' || coalesce(previous_build.config_version, 'none')
                    || ' -> ' || config_version.config_version || ')'
        end as full_reason
    from previous_build
    cross join changed_from
    cross join this_build
    cross join config_version
),

recompute as (
    select
        *,
        {{ metrics_add_days('previous_last_day', 1) }} as after_previous,
        {{ metrics_add_days('last_day', 1) }} as after_last
    from decided
),

earliest as (
    select
        *,
        case
            when changed_from is not null and changed_from < after_previous and changed_from < after_last
                then changed_from
            when after_last < after_previous then after_last
            else after_previous
        end as earliest_day
    from recompute
),

final as (
    select
        case when full_reason is null then 'incremental' else 'full' end as mode,
        case
            when full_reason is null
                then {{ metrics_add_days('earliest_day', -lookback) }}
        end as recompute_from,
        previous_last_day,
        last_day,
        cast({{ lookback }} as {{ dbt.type_int() }}) as lookback_days,
        changed_from,
        previous_config_version,
        config_version,
        coalesce(
            full_reason,
            'last scored day ' || cast(previous_last_day as {{ dbt.type_string() }})
            || case
                when changed_from is not null and changed_from < after_previous
                    then ', inputs changed from ' || cast(changed_from as {{ dbt.type_string() }})
                else ', no input changed on a scored day'
            end
            || ', safety lookback {{ lookback }} days'
        ) as reason
    from earliest
)

select * from final
