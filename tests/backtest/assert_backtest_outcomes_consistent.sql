-- Rule (SPEC §6): outcomes are exclusive and traceable. A churned observation
-- has a churn date and is neither downgraded nor expanded; its ARR churned is
-- its ARR. A retained one has no churn date, no ARR churned, and is
-- downgraded or expanded exactly when its MRR moved in that direction.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

final as (
    select *
    from observations
    where
        (is_churned and (churn_date is null or is_downgraded or is_expanded or arr_churned <> arr))
        or (not is_churned and (churn_date is not null or arr_churned <> 0))
        or (is_downgraded and is_expanded)
        or (is_downgraded and not {{ health_round("mrr_at_window_end - mrr_at_observation", 2) }} < 0)
        or (is_expanded and not {{ health_round("mrr_at_window_end - mrr_at_observation", 2) }} > 0)
)

select * from final
