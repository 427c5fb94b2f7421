-- Rule (SPEC §4.4-4.5): raising any subscore never lowers the score.
-- Checked in two steps on the built data:
-- 1. the uncapped score is the sum of the components' points (so it is a
--    non-negatively weighted sum of the subscores), and raising any observed
--    component's subscore to 1 adds its points lost (>= 0);
-- 2. caps and overrides are a non-decreasing function of the uncapped score:
--    among account-days under the same cap and override bounds, a higher
--    uncapped score never ends with a lower final score.
with

component_scores as (
    -- a daily run checks the recomputed days only: step 1 is per account-day;
    -- step 2 checks that the caps/overrides function (the same code for
    -- every row: a code change recomputes, and so tests, every day) is
    -- monotone, on the new rows; older rows are those an earlier build wrote
    -- and tested (docs/performance.md, "Tests on a daily run")
    select * from {{ ref('int_component_subscores_weighted') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

health_scores as (
    select * from {{ ref('int_health_scores_capped') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

points as (
    select
        account_id,
        date_day,
        sum(points_contributed) as points_sum,
        min(points_lost) as min_points_lost,
        min(profile_weight) as min_weight
    from component_scores
    group by account_id, date_day
),

step_one_failures as (
    select
        health_scores.account_id,
        health_scores.date_day,
        'uncapped score is not the sum of points, or a subscore raise would lower it' as failure
    from health_scores
    inner join points
        on {{ same_account_day('health_scores', 'points') }}
    where
        abs(health_scores.health_score_uncapped - points.points_sum) > 0.005 + 1e-9
        or points.min_points_lost < 0
        or points.min_weight < 0
),

ordered as (
    select
        account_id,
        date_day,
        health_score,
        lag(health_score) over (
            partition by
                coalesce(cap_value, -1),
                coalesce(override_floor, -1),
                coalesce(override_cap, -1)
            order by health_score_uncapped, health_score
        ) as previous_health_score
    from health_scores
    where health_score_uncapped is not null
),

step_two_failures as (
    select
        account_id,
        date_day,
        'a higher uncapped score ended with a lower final score' as failure
    from ordered
    where previous_health_score > health_score
)

select * from step_one_failures
union all
select * from step_two_failures
