-- Rule (SPEC §4.3): a component with no data is excluded and its weight is
-- spread proportionally over the others, so on every account-day with at
-- least one observed component the renormalised weights sum to 1, an
-- unobserved component has weight 0, and observed components keep the
-- ratios of the profile's configured weights. coverage = observed share.
with

component_scores as (
    -- a daily run checks the recomputed days only: the rule is per account-day
    -- and an older day's rows are those an earlier build wrote and tested, from
    -- inputs unchanged since (docs/performance.md, "Tests on a daily run")
    select * from {{ ref('int_component_subscores_weighted') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

per_day as (
    select
        account_id,
        date_day,
        sum(weight_renormalised) as weight_sum,
        sum(case when is_observed then profile_weight else 0 end) as observed_weight,
        sum(profile_weight) as profile_weight_total,
        max(coverage) as coverage,
        {{ count_where('is_observed') }} as observed_components
    from component_scores
    group by account_id, date_day
),

bad_days as (
    select
        account_id,
        date_day,
        'weights do not sum to 1 or coverage is wrong' as failure
    from per_day
    where
        (observed_components > 0 and abs(weight_sum - 1) > 1e-9)
        or abs(coverage - observed_weight / profile_weight_total) > 1e-9
),

bad_components as (
    select
        component_scores.account_id,
        component_scores.date_day,
        'weight not proportional to the configured weight' as failure
    from component_scores
    inner join per_day
        on {{ same_account_day('component_scores', 'per_day') }}
    where
        (not component_scores.is_observed and component_scores.weight_renormalised <> 0)
        or (
            component_scores.is_observed
            and per_day.observed_weight > 0
            and abs(
                component_scores.weight_renormalised
                - component_scores.profile_weight / per_day.observed_weight
            ) > 1e-9
        )
)

select * from bad_days
union all
select * from bad_components
