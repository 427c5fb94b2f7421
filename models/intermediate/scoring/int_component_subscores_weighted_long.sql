{#-
    Long-form reference (a view, computed only when read): the same rows as
    int_component_subscores_weighted, computed row per metric from
    int_metric_subscores_normalized. The unit tests of the weighting pin it,
    tests_python/test_incremental.py checks the wide path against it.
    One row per account x customer day x component of the account's scoring
    profile (SPEC §4.2-4.3, §4.7).
    - profile: segment -> segment_profiles.profile, `default` when the segment
      is not listed;
    - component subscore = weighted mean (health_metrics.weight) of the
      component's observed metric subscores; null when none is observed;
    - the profile's component weights are renormalised over the observed
      components (an unobserved component gets weight 0), so they sum to 1
      whenever at least one component is observed; coverage = observed share
      of the profile's configured weight;
    - points contributed = 100 x renormalised weight x subscore, points lost =
      100 x renormalised weight x (1 - subscore); the score is the sum of the
      points contributed;
    - exact arithmetic: metric weights and subscores, component weights,
      subscores, coverage and points are fixed decimals (scoring_fixed, 9
      decimals) before they are summed or ranked, so the score and the
      driver do not depend on the engine's summation order (threads);
    - driver_rank orders components by points lost (ties: larger configured
      weight first, then component name), so rank 1 with points lost > 0 is
      the primary driver.
    The same columns prefixed `renewal_` use the `renewal` profile's weights
    (var renewal_profile) for the renewal-window view.
-#}
{{ config(materialized='view') }}
{%- set renewal_profile = var('renewal_profile', 'renewal') -%}

with

account_days as (
    select * from {{ ref('int_account_days') }}
),

metric_subscores as (
    select * from {{ ref('int_metric_subscores_normalized') }}
),

segment_profiles as (
    select * from {{ ref('stg_config__segment_profiles') }}
),

health_weights as (
    select * from {{ ref('stg_config__health_weights') }}
),

account_profiles as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(segment_profiles.profile, 'default') as profile
    from account_days
    left join segment_profiles
        on account_days.segment = segment_profiles.segment
),

fixed_metric_subscores as (
    select
        account_id,
        date_day,
        component,
        {{ scoring_fixed('metric_weight') }} as metric_weight,
        {{ scoring_fixed('metric_subscore') }} as metric_subscore
    from metric_subscores
),

component_subscores as (
    select
        account_id,
        date_day,
        component,
        {{ scoring_fixed(health_divide(
            'sum(case when metric_subscore is not null then metric_weight * metric_subscore end)',
            'nullif(sum(case when metric_subscore is not null then metric_weight end), 0)'
        )) }} as component_subscore,
        cast(count(metric_subscore) as {{ dbt.type_int() }}) as metrics_observed,
        cast(count(*) as {{ dbt.type_int() }}) as metrics_in_catalogue
    from fixed_metric_subscores
    group by account_id, date_day, component
),

renewal_weights as (
    select
        component,
        {{ scoring_fixed('weight') }} as renewal_weight
    from health_weights
    where profile = '{{ renewal_profile }}'
),

weighted as (
    select
        account_profiles.account_id,
        account_profiles.date_day,
        account_profiles.profile,
        health_weights.component,
        component_subscores.component_subscore,
        coalesce(component_subscores.metrics_observed, 0) as metrics_observed,
        coalesce(component_subscores.metrics_in_catalogue, 0) as metrics_in_catalogue,
        component_subscores.component_subscore is not null as is_observed,
        {{ scoring_fixed('health_weights.weight') }} as profile_weight,
        renewal_weights.renewal_weight
    from account_profiles
    inner join health_weights
        on account_profiles.profile = health_weights.profile
    left join component_subscores
        on
            account_profiles.account_id = component_subscores.account_id
            and account_profiles.date_day = component_subscores.date_day
            and health_weights.component = component_subscores.component
    left join renewal_weights
        on health_weights.component = renewal_weights.component
),

weight_totals as (
    select
        *,
        sum(profile_weight) over (
            partition by account_id, date_day
        ) as profile_weight_total,
        sum(case when is_observed then profile_weight else 0 end) over (
            partition by account_id, date_day
        ) as observed_weight_total,
        sum(renewal_weight) over (
            partition by account_id, date_day
        ) as renewal_weight_total,
        sum(case when is_observed then renewal_weight else 0 end) over (
            partition by account_id, date_day
        ) as renewal_observed_weight_total
    from weighted
),

renormalised as (
    select
        *,
        case
            when is_observed and observed_weight_total > 0
                then {{ scoring_fixed(health_divide('profile_weight', 'observed_weight_total')) }}
            else {{ scoring_fixed('0') }}
        end as weight_renormalised,
        {{ scoring_fixed(health_divide('observed_weight_total', 'nullif(profile_weight_total, 0)')) }} as coverage,
        case
            when is_observed and renewal_observed_weight_total > 0
                then {{ scoring_fixed(health_divide('renewal_weight', 'renewal_observed_weight_total')) }}
            when renewal_weight is not null then {{ scoring_fixed('0') }}
        end as renewal_weight_renormalised,
        {{ scoring_fixed(health_divide('renewal_observed_weight_total', 'nullif(renewal_weight_total, 0)')) }}
            as renewal_coverage
    from weight_totals
),

points as (
    select
        *,
        {{ scoring_fixed('100 * weight_renormalised * coalesce(component_subscore, 0)') }} as points_contributed,
        {{ scoring_fixed('100 * weight_renormalised * (1 - coalesce(component_subscore, 1))') }} as points_lost,
        {{ scoring_fixed('100 * renewal_weight_renormalised * coalesce(component_subscore, 0)') }}
            as renewal_points_contributed,
        {{ scoring_fixed('100 * renewal_weight_renormalised * (1 - coalesce(component_subscore, 1))') }}
            as renewal_points_lost
    from renormalised
),

final as (
    select
        account_id,
        date_day,
        component,
        profile,
        component_subscore,
        metrics_observed,
        metrics_in_catalogue,
        is_observed,
        profile_weight,
        weight_renormalised,
        coverage,
        points_contributed,
        points_lost,
        cast(row_number() over (
            partition by account_id, date_day
            order by points_lost desc, profile_weight desc, component asc
        ) as {{ dbt.type_int() }}) as driver_rank,
        renewal_weight,
        renewal_weight_renormalised,
        renewal_coverage,
        renewal_points_contributed,
        renewal_points_lost,
        cast(row_number() over (
            partition by account_id, date_day
            order by renewal_points_lost desc, renewal_weight desc, component asc
        ) as {{ dbt.type_int() }}) as renewal_driver_rank
    from points
)

select * from final
