-- Rule (SPEC §4.5, health_caps): a cap (hard stop) applies min(score, cap)
-- on exactly the days its condition holds, the tightest cap wins, and a cap
-- lifts the day its condition clears (after caps, the score is back to the
-- uncapped score). The conditions are re-evaluated here from the metrics and
-- the caps seed, independently of the model's macro.
with

health_scores as (
    select * from {{ ref('int_health_scores_capped') }}
),

metrics_unpivoted as (
    select * from {{ ref('int_account_metrics_unpivoted') }}
),

health_caps as (
    select * from {{ ref('stg_config__health_caps') }}
),

holding_caps as (
    select
        metrics_unpivoted.account_id,
        metrics_unpivoted.date_day,
        min(health_caps.cap) as expected_cap
    from metrics_unpivoted
    inner join health_caps
        on metrics_unpivoted.metric = health_caps.metric
    where
        (health_caps.operator = '>=' and metrics_unpivoted.metric_value >= health_caps.threshold)
        or (health_caps.operator = '>' and metrics_unpivoted.metric_value > health_caps.threshold)
        or (health_caps.operator = '<=' and metrics_unpivoted.metric_value <= health_caps.threshold)
        or (health_caps.operator = '<' and metrics_unpivoted.metric_value < health_caps.threshold)
        or (health_caps.operator = '=' and metrics_unpivoted.metric_value = health_caps.threshold)
    group by metrics_unpivoted.account_id, metrics_unpivoted.date_day
),

compared as (
    select
        health_scores.account_id,
        health_scores.date_day,
        health_scores.cap_rule,
        health_scores.cap_value,
        health_scores.health_score_uncapped,
        health_scores.health_score_after_caps,
        holding_caps.expected_cap,
        case
            when holding_caps.expected_cap < health_scores.health_score_uncapped then holding_caps.expected_cap
            else health_scores.health_score_uncapped
        end as expected_after_caps
    from health_scores
    left join holding_caps
        on {{ same_account_day('health_scores', 'holding_caps') }}
)

select *
from compared
where
    (expected_cap is null and cap_rule is not null)
    or (expected_cap is not null and (cap_value is null or cap_value <> expected_cap))
    or abs(coalesce(health_score_after_caps, -1) - coalesce(expected_after_caps, -1)) > 1e-9
