{#-
    The time split every held-out figure uses (baselines, calibrate): the
    labelled observation dates in order; the latest `backtest_holdout_share`
    of them (at least one, at most all but one; default 1/3) are held out
    (`holdout`); earlier dates whose label window reaches the first held-out
    date are `purged` (no outcome is seen on both sides); the rest are
    `train`. calibrate.py applies the same rule to the same dates.
-#}
{%- set holdout_share = var('backtest_holdout_share', 0.3333333333333333) | float -%}

with

observation_dates as (
    select * from {{ ref('backtest_observation_dates') }}
),

labelled as (
    select
        observation_date,
        horizon_end_date,
        row_number() over (order by observation_date) as date_number,
        count(*) over () as n_dates
    from observation_dates
    where is_labelled
),

sized as (
    select
        observation_date,
        horizon_end_date,
        date_number,
        n_dates,
        case
            when n_dates < 2 then 0
            when round(n_dates * {{ holdout_share }}) < 1 then 1
            when round(n_dates * {{ holdout_share }}) > n_dates - 1 then n_dates - 1
            else round(n_dates * {{ holdout_share }})
        end as n_holdout
    from labelled
),

first_holdout as (
    select min(observation_date) as first_holdout_date
    from sized
    where date_number > n_dates - n_holdout
),

final as (
    select
        sized.observation_date,
        sized.horizon_end_date,
        cast(sized.date_number as {{ dbt.type_int() }}) as date_number,
        cast(
            case
                when sized.date_number > sized.n_dates - sized.n_holdout then 'holdout'
                when sized.horizon_end_date >= first_holdout.first_holdout_date then 'purged'
                else 'train'
            end as {{ dbt.type_string() }}
        ) as time_split
    from sized
    cross join first_holdout
)

select * from final
