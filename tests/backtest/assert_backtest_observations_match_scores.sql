-- Rule (SPEC §6): the backtest reads the score the warehouse published on
-- the observation date, for every customer of that date. No customer is
-- dropped from a labelled date (unless it has no score at all: no component
-- observed) and no score is altered on the way.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

observation_dates as (
    select * from {{ ref('backtest_observation_dates') }}
),

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

published as (
    select
        health_daily.account_id,
        health_daily.date_day,
        health_daily.health_score,
        health_daily.band
    from health_daily
    inner join observation_dates
        on health_daily.date_day = observation_dates.observation_date
    where observation_dates.is_labelled and health_daily.health_score is not null
),

final as (
    select
        coalesce(published.account_id, observations.account_id) as account_id,
        coalesce(published.date_day, observations.observation_date) as observation_date,
        published.health_score as published_score,
        observations.health_score as observed_score
    from published
    full outer join observations
        on {{ same_account_day('published', 'observations', 'date_day', 'observation_date') }}
    where
        published.account_id is null
        or observations.account_id is null
        or published.health_score <> observations.health_score
        or published.band <> observations.band
)

select * from final
