-- Rule (SPEC §6): the rank-based AUC of the summary equals the AUC counted
-- from its definition: over all (churned, retained) pairs, the share where
-- the churned observation scored lower, ties counting one half. Counted per
-- distinct score with cumulative sums, a different route to the same number.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

summary as (
    select * from {{ ref('backtest_summary') }}
),

per_score as (
    select
        health_score,
        {{ count_where('is_churned') }} as churned,
        sum(case when is_churned then 0 else 1 end) as retained
    from observations
    group by health_score
),

cumulative as (
    select
        health_score,
        churned,
        retained,
        sum(retained) over (order by health_score desc rows between unbounded preceding and current row)
        - retained as retained_scoring_higher
    from per_score
),

pairwise as (
    select
        sum(
            cast(churned as {{ type_double() }}) * retained_scoring_higher
            + cast(churned as {{ type_double() }}) * retained / 2
        ) / (cast(sum(churned) as {{ type_double() }}) * sum(retained)) as auc
    from cumulative
    having sum(churned) > 0 and sum(retained) > 0
),

final as (
    select
        summary.auc_churn,
        pairwise.auc
    from summary
    cross join pairwise
    where abs(summary.auc_churn - pairwise.auc) > 1e-9 or summary.auc_churn is null
)

select * from final
