{#-
    Long-form reference (a view, computed only when read) of
    int_health_scores_capped, from int_component_subscores_weighted_long and
    int_account_metrics_unpivoted. The unit tests of caps and overrides pin
    it, tests_python/test_incremental.py checks the wide path against it.
    One row per account x customer day: the weighted score and what caps and
    overrides made of it (SPEC §4.4-4.5).
    1. uncapped score = sum of the components' points contributed
       (100 x sum w x s / sum w over observed components), rounded to 2
       decimals; null when no component is observed (coverage 0);
    2. caps (health_caps): every rule whose condition (metric operator
       threshold) holds that day applies min(score, cap); the tightest cap
       wins (ties: rule name) and its rule is kept in cap_rule. The condition
       is re-evaluated every day, so a cap lifts the day it clears;
    3. overrides (health_overrides) active on valid_from <= day <= expires_on:
       score_floor raises, then score_cap lowers (the cap wins a conflict);
       several active overrides combine as the highest floor and the lowest
       cap, their reasons listed in override_reason.
    The renewal_* columns apply the same caps and overrides to the score
    computed with the `renewal` profile's weights.
-#}
{{ config(materialized='view') }}
with

component_scores as (
    select * from {{ ref('int_component_subscores_weighted_long') }}
),

metrics_unpivoted as (
    select * from {{ ref('int_account_metrics_unpivoted') }}
),

health_caps as (
    select * from {{ ref('stg_config__health_caps') }}
),

health_overrides as (
    select * from {{ ref('stg_config__health_overrides') }}
),

uncapped as (
    select
        account_id,
        date_day,
        profile,
        max(coverage) as coverage,
        max(renewal_coverage) as renewal_coverage,
        case
            when sum(case when is_observed then 1 else 0 end) > 0
                then {{ health_round("sum(points_contributed)", 2) }}
        end as health_score_uncapped,
        case
            when sum(case when is_observed then 1 else 0 end) > 0
                then {{ health_round("sum(renewal_points_contributed)", 2) }}
        end as renewal_score_uncapped
    from component_scores
    group by account_id, date_day, profile
),

cap_conditions as (
    select
        metrics_unpivoted.account_id,
        metrics_unpivoted.date_day,
        health_caps.rule as cap_rule,
        cast(health_caps.cap as {{ type_double() }}) as cap_value
    from metrics_unpivoted
    inner join health_caps
        on metrics_unpivoted.metric = health_caps.metric
    where
        {{ scoring_compare(
            'cast(metrics_unpivoted.metric_value as ' ~ type_double() ~ ')',
            'health_caps.operator',
            'cast(health_caps.threshold as ' ~ type_double() ~ ')'
        ) }}
),

{{ scoring_caps_overrides('uncapped', 'cap_conditions', 'health_overrides', type_double()) }},

final as (
    select
        {{ scoring_score_columns() | trim | replace(',', ',\n        ') }}
    from capped
)

select * from final
