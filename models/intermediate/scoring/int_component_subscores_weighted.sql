{#-
    One row per account x customer day x component of the account's scoring
    profile (SPEC §4.2-4.3, §4.7): the component columns of
    int_health_scores_wide, one select per component of scoring_components()
    (a view; fct_account_health_components stores it). Columns and rules:
    see int_health_scores_wide and _scoring__models.yml.
-#}
{{ config(materialized='view') }}
{%- set components = (scoring_components() | trim).split(',') | map('trim') | list %}

with

health_scores as {{ health_cte_inline() }} (
    select * from {{ ref('int_health_scores_wide') }}
),

unpivoted as (
    {%- for c in components %}
        select
            account_id,
            date_day,
            '{{ c }}' as component,
            profile,
            {{ c }}__subscore as component_subscore,
            {{ c }}__metrics_observed as metrics_observed,
            {{ c }}__metrics_in_catalogue as metrics_in_catalogue,
            {{ c }}__subscore is not null as is_observed,
            {{ c }}__profile_weight as profile_weight,
            {{ c }}__weight_renormalised as weight_renormalised,
            coverage,
            {{ c }}__points_contributed as points_contributed,
            {{ c }}__points_lost as points_lost,
            {{ c }}__driver_rank as driver_rank,
            {{ c }}__renewal_weight as renewal_weight,
            {{ c }}__renewal_weight_renormalised as renewal_weight_renormalised,
            renewal_coverage,
            {{ c }}__renewal_points_contributed as renewal_points_contributed,
            {{ c }}__renewal_points_lost as renewal_points_lost,
            {{ c }}__renewal_driver_rank as renewal_driver_rank
        from health_scores
        where {{ c }}__in_profile
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select * from unpivoted
)

select * from final
