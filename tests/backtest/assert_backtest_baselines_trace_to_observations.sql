-- Rule (issue 9, baselines beside the score): every baseline is judged on
-- the same observations as the score. Per signal and sample, observations
-- and churned are those of backtest_observations (all dates, or the
-- held-out dates of backtest_time_split); the health_score rows repeat the
-- AUC of backtest_summary; the riskiest decile holds a tenth of the rows
-- (ntile); lifts are non-negative.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

time_split as (
    select * from {{ ref('backtest_time_split') }}
),

baselines as (
    select * from {{ ref('backtest_baselines') }}
),

summary as (
    select * from {{ ref('backtest_summary') }}
),

samples as (
    select
        'all' as sample,
        count(*) as observations,
        {{ count_where('is_churned') }} as churned
    from observations
    union all
    select
        'holdout' as sample,
        count(*) as observations,
        {{ count_where('observations.is_churned') }} as churned
    from observations
    inner join time_split
        on observations.observation_date = time_split.observation_date
    where time_split.time_split = 'holdout'
),

final as (
    select
        baselines.signal,
        baselines.sample
    from baselines
    inner join samples
        on baselines.sample = samples.sample
    cross join summary
    where
        -- every signal but the published / uncapped score has a value for every observation
        (baselines.signal_type != 'score' and baselines.observations != samples.observations)
        or (baselines.signal_type != 'score' and baselines.churned != samples.churned)
        or baselines.observations > samples.observations
        or (
            baselines.signal = 'health_score'
            and baselines.sample = 'all'
            and abs(baselines.auc_churn - summary.auc_churn) > 1e-9
        )
        or baselines.top_decile_observations != ceil(baselines.observations / 10.0)
        or baselines.top_decile_lift < 0
        or baselines.arr_weighted_lift < 0
    union all
    -- a sample with observations but no baseline row
    select
        'naive_core_actions_28d' as signal,
        samples.sample
    from samples
    left join baselines
        on
            samples.sample = baselines.sample
            and baselines.signal = 'naive_core_actions_28d'
    where samples.observations > 0 and baselines.signal is null
)

select * from final
