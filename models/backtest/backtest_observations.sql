{#-
    One row per customer per labelled observation date (SPEC §6): the score,
    band and subscores the warehouse published that day, and what happened in
    the label window (observation_date, observation_date + backtest_horizon_days]:
    - churned: a customer spell of the account ends in the window and counts
      as churn (int_customer_spells.is_churned: no new subscription within the
      resubscription grace period);
    - downgraded / expanded: not churned, and the MRR on the account's last
      customer day in the window is lower / higher than on the observation
      date (net change, so a seat swap that nets out is neither).
    Censored dates (horizon + grace past the end of the data) are not here.
-#}
{%- set pulse_window_days = var('backtest_pulse_window_days', 7) | int -%}
{%- set double = type_double() -%}
{#- the wide subscore columns (seeds/health_components.csv, wide_column) -#}
{%- set components = (scoring_components(wide=true) | trim).split(',') -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

observation_dates as (
    select * from {{ ref('backtest_observation_dates') }}
),

account_days as (
    select * from {{ ref('int_account_days') }}
),

customer_spells as (
    select * from {{ ref('int_customer_spells') }}
),

csm_pulse as (
    select * from {{ ref('stg_crm__csm_pulse') }}
),

observed as (
    select
        health_daily.account_id,
        observation_dates.observation_date,
        observation_dates.horizon_end_date,
        health_daily.segment,
        health_daily.profile,
        health_daily.mrr,
        health_daily.arr,
        {%- for component in components %}
            health_daily.{{ component }}_subscore,
        {%- endfor %}
        health_daily.coverage,
        health_daily.health_score_uncapped,
        health_daily.cap_rule,
        health_daily.health_score,
        health_daily.band,
        health_daily.band_rank,
        health_daily.config_version
    from health_daily
    inner join observation_dates
        on health_daily.date_day = observation_dates.observation_date
    where
        observation_dates.is_labelled
        -- no observed component (e.g. a new customer with every optional table
        -- off): no score to judge
        and health_daily.health_score is not null
),

churn_in_window as (
    -- the first confirmed churn inside the label window; a spell that ends but
    -- is followed by a resubscription within the grace period is not a churn
    select
        observed.account_id,
        observed.observation_date,
        min(customer_spells.churn_date) as churn_date
    from observed
    inner join customer_spells
        on
            observed.account_id = customer_spells.account_id
            and observed.observation_date < customer_spells.churn_date
            and observed.horizon_end_date >= customer_spells.churn_date
    where customer_spells.is_churned
    group by observed.account_id, observed.observation_date
),

last_customer_day as (
    -- the account's last customer day in [observation_date, horizon_end_date]
    select
        observed.account_id,
        observed.observation_date,
        max(account_days.date_day) as last_customer_date
    from observed
    inner join account_days
        on
            observed.account_id = account_days.account_id
            and observed.observation_date <= account_days.date_day
            and observed.horizon_end_date >= account_days.date_day
    group by observed.account_id, observed.observation_date
),

window_mrr as (
    select
        last_customer_day.account_id,
        last_customer_day.observation_date,
        last_customer_day.last_customer_date,
        start_day.is_in_renewal_window,
        start_day.mrr as mrr_at_observation,
        end_day.mrr as mrr_at_window_end
    from last_customer_day
    inner join account_days as start_day
        on {{ same_account_day('last_customer_day', 'start_day', 'observation_date', 'date_day') }}
    inner join account_days as end_day
        on {{ same_account_day('last_customer_day', 'end_day', 'last_customer_date', 'date_day') }}
),

pulses_in_week as (
    -- CSM pulses recorded in the week ending on the observation date
    select
        observed.account_id,
        observed.observation_date,
        csm_pulse.pulse,
        cast(csm_pulse.recorded_at as date) as pulse_date,
        row_number() over (
            partition by observed.account_id, observed.observation_date
            order by csm_pulse.recorded_at desc, csm_pulse.pulse_id desc
        ) as pulse_recency
    from observed
    inner join csm_pulse
        on
            observed.account_id = csm_pulse.account_id
            and cast(csm_pulse.recorded_at as date) <= observed.observation_date
            and cast(csm_pulse.recorded_at as date)
            > cast({{ dbt.dateadd('day', -pulse_window_days, 'observed.observation_date') }} as date)
),

latest_pulse as (
    select
        account_id,
        observation_date,
        pulse,
        pulse_date
    from pulses_in_week
    where pulse_recency = 1
),

labelled as (
    select
        observed.*,
        churn_in_window.churn_date,
        window_mrr.is_in_renewal_window,
        window_mrr.mrr_at_observation,
        window_mrr.mrr_at_window_end,
        latest_pulse.pulse as csm_pulse,
        latest_pulse.pulse_date as csm_pulse_date,
        churn_in_window.churn_date is not null as is_churned,
        coalesce(
            churn_in_window.churn_date is null
            and {{ health_round("window_mrr.mrr_at_window_end - window_mrr.mrr_at_observation", 2) }} < 0,
            false
        ) as is_downgraded,
        coalesce(
            churn_in_window.churn_date is null
            and {{ health_round("window_mrr.mrr_at_window_end - window_mrr.mrr_at_observation", 2) }} > 0,
            false
        ) as is_expanded
    from observed
    left join churn_in_window
        on {{ same_account_day('observed', 'churn_in_window', 'observation_date') }}
    left join window_mrr
        on {{ same_account_day('observed', 'window_mrr', 'observation_date') }}
    left join latest_pulse
        on {{ same_account_day('observed', 'latest_pulse', 'observation_date') }}
),

final as (
    select
        {{ dbt.concat([
            'account_id',
            "'|'",
            'cast(observation_date as ' ~ dbt.type_string() ~ ')',
        ]) }} as observation_id,
        account_id,
        observation_date,
        cast(dense_rank() over (order by observation_date) as {{ dbt.type_int() }}) as observation_number,
        {{ dbt.concat([
            'cast(cast(extract(year from observation_date) as ' ~ dbt.type_int() ~ ') as ' ~ dbt.type_string() ~ ')',
            "'-Q'",
            'cast(cast(extract(quarter from observation_date) as ' ~ dbt.type_int() ~ ') as ' ~ dbt.type_string() ~ ')',
        ]) }} as observation_quarter,
        horizon_end_date,
        segment,
        profile,
        cast(mrr as {{ double }}) as mrr,
        cast(arr as {{ double }}) as arr,
        {%- for component in components %}
            cast({{ component }}_subscore as {{ double }}) as {{ component }}_subscore,
        {%- endfor %}
        cast(coverage as {{ double }}) as coverage,
        cast(health_score_uncapped as {{ double }}) as health_score_uncapped,
        cap_rule,
        cast(health_score as {{ double }}) as health_score,
        band,
        cast(band_rank as {{ dbt.type_int() }}) as band_rank,
        is_in_renewal_window,
        cast(
            case
                when health_score >= 100 then 10
                else floor(health_score / 10) + 1
            end as {{ dbt.type_int() }}
        ) as score_range_decile,
        cast(
            floor(10 * (cast(rank() over (order by health_score) as {{ double }}) - 1) / count(*) over ()) + 1
            as {{ dbt.type_int() }}
        ) as score_quantile_decile,
        csm_pulse,
        csm_pulse_date,
        is_churned,
        churn_date,
        is_downgraded,
        is_expanded,
        cast(mrr_at_observation as {{ double }}) as mrr_at_observation,
        cast(mrr_at_window_end as {{ double }}) as mrr_at_window_end,
        cast(case when is_churned then arr else 0 end as {{ double }}) as arr_churned,
        config_version
    from labelled
)

select * from final
