{#-
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
with

component_scores as (
    select * from {{ ref('int_component_subscores_weighted') }}
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

ranked_caps as (
    select
        account_id,
        date_day,
        cap_rule,
        cap_value,
        row_number() over (
            partition by account_id, date_day
            order by cap_value asc, cap_rule asc
        ) as cap_order
    from cap_conditions
),

tightest_caps as (
    select
        account_id,
        date_day,
        cap_rule,
        cap_value
    from ranked_caps
    where cap_order = 1
),

active_overrides as (
    select
        uncapped.account_id,
        uncapped.date_day,
        max(cast(health_overrides.score_floor as {{ type_double() }})) as override_floor,
        min(cast(health_overrides.score_cap as {{ type_double() }})) as override_cap,
        {{ dbt.listagg(
            'health_overrides.reason',
            "'; '",
            'order by health_overrides.valid_from, health_overrides.reason'
        ) }} as override_reason
    from uncapped
    inner join health_overrides
        on
            uncapped.account_id = health_overrides.account_id
            and (health_overrides.valid_from is null or uncapped.date_day >= health_overrides.valid_from)
            and uncapped.date_day <= health_overrides.expires_on
    group by uncapped.account_id, uncapped.date_day
),

combined as (
    select
        uncapped.account_id,
        uncapped.date_day,
        uncapped.profile,
        uncapped.coverage,
        uncapped.renewal_coverage,
        uncapped.health_score_uncapped,
        uncapped.renewal_score_uncapped,
        tightest_caps.cap_rule,
        tightest_caps.cap_value,
        active_overrides.override_reason,
        active_overrides.override_floor,
        active_overrides.override_cap
    from uncapped
    left join tightest_caps
        on
            uncapped.account_id = tightest_caps.account_id
            and uncapped.date_day = tightest_caps.date_day
    left join active_overrides
        on
            uncapped.account_id = active_overrides.account_id
            and uncapped.date_day = active_overrides.date_day
),

after_caps as (
    select
        *,
        case
            when cap_value < health_score_uncapped then cap_value
            else health_score_uncapped
        end as health_score_after_caps,
        case
            when cap_value < renewal_score_uncapped then cap_value
            else renewal_score_uncapped
        end as renewal_score_after_caps
    from combined
),

after_floors as (
    select
        *,
        case
            when override_floor > health_score_after_caps then override_floor
            else health_score_after_caps
        end as health_score_after_floor,
        case
            when override_floor > renewal_score_after_caps then override_floor
            else renewal_score_after_caps
        end as renewal_score_after_floor
    from after_caps
),

final as (
    select
        account_id,
        date_day,
        profile,
        coverage,
        health_score_uncapped,
        cap_rule,
        cap_value,
        health_score_after_caps,
        override_reason,
        override_floor,
        override_cap,
        case
            when override_cap < health_score_after_floor then override_cap
            else health_score_after_floor
        end as health_score,
        renewal_coverage,
        renewal_score_uncapped,
        case
            when override_cap < renewal_score_after_floor then override_cap
            else renewal_score_after_floor
        end as renewal_score
    from after_floors
)

select * from final
