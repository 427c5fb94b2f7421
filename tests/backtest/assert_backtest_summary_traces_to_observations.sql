-- Rule (SPEC §6): the summary's counts are those of backtest_observations,
-- its band rates are those of the overall band table, and AUC / KS lie in
-- [0, 1].
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

band_separation as (
    select * from {{ ref('backtest_band_separation') }}
),

summary as (
    select * from {{ ref('backtest_summary') }}
),

recounted as (
    select
        count(*) as observations,
        {{ count_where('is_churned') }} as churned
    from observations
),

overall_bands as (
    select
        band,
        churn_rate
    from band_separation
    where slice_type = 'overall'
),

final as (
    select summary.observations
    from summary
    cross join recounted
    left join overall_bands as lowest
        on summary.lowest_band = lowest.band
    left join overall_bands as highest
        on summary.highest_band = highest.band
    where
        summary.observations <> recounted.observations
        or summary.churned <> coalesce(recounted.churned, 0)
        or summary.auc_churn < 0
        or summary.auc_churn > 1
        or summary.ks_churn < 0
        or summary.ks_churn > 1
        or summary.lowest_band_churn_rate <> lowest.churn_rate
        or summary.highest_band_churn_rate <> highest.churn_rate
        or (
            summary.churned > 0
            and summary.churned < summary.observations
            and summary.auc_churn is null
        )
)

select * from final
