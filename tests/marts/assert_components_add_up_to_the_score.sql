-- Rule (SPEC §4.4, §4.7): the explanation adds up. Per account-day, the
-- components' points contributed sum to health_score_uncapped (within its
-- rounding to 2 decimals), points contributed plus lost sum to 100 when any
-- component is observed, and the fct's primary driver is the component
-- flagged in fct_account_health_components.
with

health_daily as (
    -- a daily run checks the recomputed days only: the rule is per account-day
    -- and an older day's rows are those an earlier build wrote and tested, from
    -- inputs unchanged since (docs/performance.md, "Tests on a daily run")
    select * from {{ ref('fct_account_health_daily') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

health_components as (
    select * from {{ ref('fct_account_health_components') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

per_day as (
    select
        account_id,
        date_day,
        sum(points_contributed) as points_contributed,
        sum(points_lost) as points_lost,
        {{ count_where('is_observed') }} as observed_components,
        max(case when is_primary_driver then component end) as flagged_driver
    from health_components
    group by account_id, date_day
)

select
    health_daily.account_id,
    health_daily.date_day,
    health_daily.health_score_uncapped,
    per_day.points_contributed,
    per_day.points_lost
from health_daily
inner join per_day
    on {{ same_account_day('health_daily', 'per_day') }}
where
    (
        per_day.observed_components > 0
        and (
            abs(health_daily.health_score_uncapped - per_day.points_contributed) > 0.005 + 1e-9
            or abs(per_day.points_contributed + per_day.points_lost - 100) > 1e-6
        )
    )
    or coalesce(health_daily.primary_driver, '~') <> coalesce(per_day.flagged_driver, '~')
