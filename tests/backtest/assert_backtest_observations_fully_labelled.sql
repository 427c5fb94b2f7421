-- Rule (SPEC §6): censored observations are left out, never counted as
-- retained. Every observation's horizon plus the resubscription grace period
-- must end inside the data, and its churn (if any) inside the label window.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

observation_dates as (
    select * from {{ ref('backtest_observation_dates') }}
),

final as (
    select
        observations.observation_id,
        observations.churn_date,
        observation_dates.labels_complete_date,
        observation_dates.label_end_date
    from observations
    left join observation_dates
        on observations.observation_date = observation_dates.observation_date
    where
        observation_dates.observation_date is null
        or not observation_dates.is_labelled
        or observation_dates.labels_complete_date > observation_dates.label_end_date
        or observations.churn_date <= observations.observation_date
        or observations.churn_date > observations.horizon_end_date
)

select * from final
