{#-
    The score taken apart: one row per account x customer day x component of
    the account's profile (SPEC §4.7, §5). Points contributed by the
    components add up to health_score_uncapped (before rounding); points lost
    add up to 100 minus it. Unobserved components carry weight 0 and no points.
    Incremental like int_health_scores_wide (macros/incremental).
-#}
{{ health_incremental_config() }}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
with

component_scores as (
    select * from {{ ref('int_component_subscores_weighted') }}
    where 1 = 1 {{ health_incremental_filter('date_day', start) }}
),

config_version as (
    select * from {{ ref('int_config_version') }}
),

final as (
    select
        cast(component_scores.account_id as {{ dbt.type_string() }}) as account_id,
        cast(component_scores.date_day as date) as date_day,
        cast(component_scores.component as {{ dbt.type_string() }}) as component,
        cast(component_scores.profile as {{ dbt.type_string() }}) as profile,
        cast(component_scores.component_subscore as {{ type_double() }}) as subscore,
        cast(component_scores.is_observed as {{ dbt.type_boolean() }}) as is_observed,
        cast(component_scores.metrics_observed as {{ dbt.type_int() }}) as metrics_observed,
        cast(component_scores.metrics_in_catalogue as {{ dbt.type_int() }}) as metrics_in_catalogue,
        cast(component_scores.profile_weight as {{ type_double() }}) as weight,
        cast(component_scores.weight_renormalised as {{ type_double() }}) as weight_renormalised,
        cast(component_scores.points_contributed as {{ type_double() }}) as points_contributed,
        cast(component_scores.points_lost as {{ type_double() }}) as points_lost,
        cast(component_scores.driver_rank as {{ dbt.type_int() }}) as driver_rank,
        cast(
            component_scores.driver_rank = 1 and component_scores.points_lost > 0 as {{ dbt.type_boolean() }}
        ) as is_primary_driver,
        cast(config_version.config_version as {{ dbt.type_string() }}) as config_version
    from component_scores
    cross join config_version
)

select * from final
