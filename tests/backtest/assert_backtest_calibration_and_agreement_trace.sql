-- Rule (SPEC §6): each calibration view and the CSM confusion matrix account
-- for every observation exactly once: deciles sum to all observations, the
-- matrix to the observations that had a pulse that week.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

calibration as (
    select * from {{ ref('backtest_calibration') }}
),

csm_agreement as (
    select * from {{ ref('backtest_csm_agreement') }}
),

recounted as (
    select
        count(*) as observations,
        count(csm_pulse) as pulsed_observations,
        {{ count_where('is_churned') }} as churned
    from observations
),

calibration_totals as (
    select
        calibration_type,
        sum(observations) as observations,
        sum(churned) as churned
    from calibration
    group by calibration_type
),

agreement_totals as (
    select sum(observations) as pulsed_observations
    from csm_agreement
),

final as (
    select
        calibration_totals.calibration_type as failing_check,
        calibration_totals.observations
    from calibration_totals
    cross join recounted
    where
        calibration_totals.observations <> recounted.observations
        or calibration_totals.churned <> coalesce(recounted.churned, 0)
    union all
    select
        'csm_agreement' as failing_check,
        agreement_totals.pulsed_observations as observations
    from agreement_totals
    cross join recounted
    where coalesce(agreement_totals.pulsed_observations, 0) <> recounted.pulsed_observations
)

select * from final
