{#-
    One row per current customer (a customer on as_of_date): today's score,
    band, trend, driver and playbook, with ARR and the next renewal (SPEC §5).
    trend compares score_change_28d with var health_trend_threshold_points
    (default 5): improving (>= +t), declining (<= -t), stable, or new (not
    scored 28 days ago).
-#}
{#- the wide subscore columns: components with wide_column in seeds/health_components.csv -#}
{%- set components = (scoring_components(wide=true) | trim).split(',') -%}
{%- set trend_threshold = var('health_trend_threshold_points', 5) -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

health_components as (
    select * from {{ ref('fct_account_health_components') }}
),

account_days as (
    select * from {{ ref('int_account_days') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

health_playbooks as (
    select * from {{ ref('dim_health_components') }}
),

current_days as (
    select
        account_days.account_id,
        account_days.date_day,
        account_days.customer_since,
        account_days.term_end_date,
        account_days.days_to_renewal,
        account_days.is_in_renewal_window
    from account_days
    inner join data_bounds
        on account_days.date_day = data_bounds.as_of_date
),

driver_points as (
    select
        account_id,
        date_day,
        points_lost
    from health_components
    where is_primary_driver
),

joined as (
    select
        current_days.date_day as as_of_date,
        health_daily.account_id,
        accounts.account_name,
        health_daily.segment,
        health_daily.profile,
        accounts.csm_owner,
        health_daily.mrr,
        health_daily.arr,
        health_daily.health_score,
        health_daily.health_score_uncapped,
        health_daily.band,
        health_daily.band_rank,
        health_daily.previous_band,
        health_daily.days_in_band,
        health_daily.score_change_7d,
        health_daily.score_change_28d,
        case
            when health_daily.score_change_28d is null then 'new'
            when health_daily.score_change_28d >= {{ trend_threshold }} then 'improving'
            when health_daily.score_change_28d <= -{{ trend_threshold }} then 'declining'
            else 'stable'
        end as trend,
        {%- for component in components %}
            health_daily.{{ component }}_subscore,
        {%- endfor %}
        health_daily.coverage,
        health_daily.cap_rule,
        health_daily.override_reason,
        health_daily.primary_driver,
        driver_points.points_lost as primary_driver_points_lost,
        health_playbooks.playbook,
        health_playbooks.owner_role as playbook_owner_role,
        current_days.customer_since,
        current_days.term_end_date as next_renewal_date,
        current_days.days_to_renewal,
        current_days.is_in_renewal_window,
        health_daily.config_version
    from current_days
    inner join health_daily
        on {{ same_account_day('current_days', 'health_daily') }}
    left join accounts
        on current_days.account_id = accounts.account_id
    left join driver_points
        on {{ same_account_day('current_days', 'driver_points') }}
    left join health_playbooks
        on health_daily.primary_driver = health_playbooks.component
),

final as (
    select
        {{ contract_columns() }}
    from joined
)

select * from final
