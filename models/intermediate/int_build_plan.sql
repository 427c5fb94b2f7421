{#-
    One row: how this build treats the incremental account-day models
    (int_health_scores_wide, fct_account_health_components,
    fct_account_health_daily), read by them at compile time
    (health_incremental_from) and reported by `health build`.
    - full: `--full-refresh`, no previous build, or the configuration changed
      (config_version differs from the one stored with the previous scores):
      every day is recomputed;
    - incremental: the days from recompute_from on are recomputed, where
      recompute_from = the earlier of the previous build's last scored day and
      this build's last customer day, minus lookback_days
      (health_incremental_lookback_days: longest metric window + grace).
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
{%- set full_refresh = (flags.FULL_REFRESH is sameas true) if live else false -%}
{%- set lookback = health_incremental_lookback_days() | int %}

with

config_version as (
    select * from {{ ref('int_config_version') }}
),

account_days as (
    select * from {{ ref('int_account_days') }}
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

this_build as (
    select max(date_day) as last_day
    from account_days
),

decided as (
    select
        previous_build.last_day as previous_last_day,
        this_build.last_day,
        previous_build.config_version as previous_config_version,
        config_version.config_version,
        case
            when {{ 'true' if full_refresh else 'false' }} then 'full refresh requested (--full-refresh)'
            when previous_build.last_day is null then 'no previous build'
            when previous_build.config_version is null or previous_build.config_version <> config_version.config_version
                then 'config changed (config_version ' || coalesce(previous_build.config_version, 'none')
                    || ' -> ' || config_version.config_version || ')'
        end as full_reason
    from previous_build
    cross join this_build
    cross join config_version
),

final as (
    select
        case when full_reason is null then 'incremental' else 'full' end as mode,
        case
            when full_reason is null
                then {{ metrics_add_days(
                    'case when previous_last_day < last_day then previous_last_day else last_day end',
                    -lookback
                ) }}
        end as recompute_from,
        previous_last_day,
        last_day,
        cast({{ lookback }} as {{ dbt.type_int() }}) as lookback_days,
        previous_config_version,
        config_version,
        coalesce(
            full_reason,
            'last scored day ' || cast(previous_last_day as {{ dbt.type_string() }})
            || ', lookback {{ lookback }} days (longest metric window + resubscribe grace)'
        ) as reason
    from decided
)

select * from final
