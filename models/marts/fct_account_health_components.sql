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
{{ health_imports({
    'component_scores': 'int_component_subscores_weighted',
    'config_version': 'int_config_version',
}, incremental=['component_scores'], day_filter=health_incremental_filter('date_day', start)) }}

components as (
    select
        component_scores.account_id,
        component_scores.date_day,
        component_scores.component,
        component_scores.profile,
        component_scores.component_subscore as subscore,
        component_scores.is_observed,
        component_scores.metrics_observed,
        component_scores.metrics_in_catalogue,
        component_scores.profile_weight as weight,
        component_scores.weight_renormalised,
        component_scores.points_contributed,
        component_scores.points_lost,
        component_scores.driver_rank,
        cast(
            component_scores.driver_rank = 1 and component_scores.points_lost > 0 as {{ dbt.type_boolean() }}
        ) as is_primary_driver,
        config_version.config_version
    from component_scores
    cross join config_version
),

final as (
    select
        {{ contract_columns() }}
    from components
)

select * from final
