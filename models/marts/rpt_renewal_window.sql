{#-
    The renewal desk (SPEC §3, §5): current customers inside the renewal
    window of their current contract term on as_of_date. The calendar is
    scaled to the term (macros/marts/renewal_terms.sql): an annual or longer
    term opens its window var renewal_window_days (180) before the renewal,
    with stage '90' from 90 and stage '30' from 30 days out; a shorter term
    compresses all three by term_months / 12 (monthly: window 15 days,
    stages at 7 and 2; quarterly: 45, 22 and 7), so a monthly plan walks
    through the stages every month instead of sitting in '30' for good.
    Each term opens a fresh window: window_first_scored_date and
    days_in_renewal_window count from this term's window opening.
    The renewal score uses the `renewal` profile's weights (var
    renewal_profile) with the same caps and overrides as the health score;
    its trend is the change since the first day the account was scored in
    the current window.
-#}
{%- set window_days = var('renewal_window_days') | int -%}
with

account_days as {{ health_cte_inline() }} (
    select * from {{ ref('int_account_days') }}
),

health_scores as {{ health_cte_inline() }} (
    select * from {{ ref('int_health_scores_capped') }}
),

component_scores as (
    select * from {{ ref('int_component_subscores_weighted') }}
),

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

data_bounds as {{ health_cte_inline() }} (
    select * from {{ ref('stg_data_bounds') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

bands as (
    select * from {{ ref('dim_health_bands') }}
),

health_playbooks as (
    select * from {{ ref('dim_health_components') }}
),

current_days as (
    select
        account_days.account_id,
        account_days.date_day as as_of_date,
        account_days.customer_since,
        account_days.term_end_date,
        account_days.days_to_renewal,
        {{ renewal_term_months('account_days.billing_period_months') }} as term_months
    from account_days
    inner join data_bounds
        on account_days.date_day = data_bounds.as_of_date
    where account_days.term_end_date is not null
),

term_calendar as (
    select
        *,
        {{ renewal_days_for_term(window_days, 'term_months') }} as window_days_for_term,
        {{ renewal_days_for_term(90, 'term_months') }} as stage_90_days,
        {{ renewal_days_for_term(30, 'term_months') }} as stage_30_days
    from current_days
),

in_window_today as (
    select
        account_id,
        as_of_date,
        term_end_date,
        days_to_renewal,
        term_months,
        window_days_for_term,
        stage_90_days,
        stage_30_days,
        case
            when customer_since > {{ metrics_add_days('term_end_date', '-window_days_for_term') }}
                then customer_since
            else {{ metrics_add_days('term_end_date', '-window_days_for_term') }}
        end as renewal_window_start_date
    from term_calendar
    where days_to_renewal >= 0 and days_to_renewal <= window_days_for_term
),

window_open_days as (
    select
        in_window_today.account_id,
        min(account_days.date_day) as window_first_scored_date
    from in_window_today
    inner join account_days
        on
            in_window_today.account_id = account_days.account_id
            and in_window_today.term_end_date = account_days.term_end_date
            and in_window_today.renewal_window_start_date <= account_days.date_day
            and in_window_today.as_of_date >= account_days.date_day
    group by in_window_today.account_id
),

{#
    The score views and the daily fact hold every account-day; the report
    needs as_of_date's rows and each account's window-opening day only. Each
    read is cut to those days by its own join with a small relation (the
    one-row data_bounds, or window_open_days), before the joins below: the
    engine then probes the big relation with a tiny build side (DuckDB pushes
    the join keys into the scan) instead of joining whole histories.
#}
today_health as (
    select health_daily.*
    from health_daily
    inner join data_bounds
        on health_daily.date_day = data_bounds.as_of_date
),

today_scores as (
    select health_scores.*
    from health_scores
    inner join data_bounds
        on health_scores.date_day = data_bounds.as_of_date
),

open_scores as (
    select
        window_open_days.account_id,
        health_scores.renewal_score
    from window_open_days
    inner join health_scores
        on {{ same_account_day('window_open_days', 'health_scores', 'window_first_scored_date', 'date_day') }}
),

renewal_drivers as (
    select
        component_scores.account_id,
        component_scores.date_day,
        component_scores.component as renewal_primary_driver,
        component_scores.renewal_points_lost as renewal_primary_driver_points_lost
    from component_scores
    inner join data_bounds
        on component_scores.date_day = data_bounds.as_of_date
    where component_scores.renewal_driver_rank = 1 and component_scores.renewal_points_lost > 0
),

joined as (
    select
        in_window_today.as_of_date,
        in_window_today.account_id,
        accounts.account_name,
        health_daily.segment,
        accounts.csm_owner,
        health_daily.mrr,
        health_daily.arr,
        in_window_today.term_end_date as next_renewal_date,
        in_window_today.days_to_renewal,
        in_window_today.term_months,
        in_window_today.window_days_for_term,
        case
            when in_window_today.days_to_renewal <= in_window_today.stage_30_days then '30'
            when in_window_today.days_to_renewal <= in_window_today.stage_90_days then '90'
            else '180'
        end as renewal_stage,
        case
            when in_window_today.days_to_renewal <= in_window_today.stage_30_days
                then 'Remove blockers and finalize procurement'
            when in_window_today.days_to_renewal <= in_window_today.stage_90_days
                then 'Confirm value proof and the expansion path'
            else 'Validate stakeholders and the success plan'
        end as stage_focus,
        in_window_today.renewal_window_start_date,
        window_open_days.window_first_scored_date,
        {{ metrics_days_between('in_window_today.renewal_window_start_date', 'in_window_today.as_of_date') }}
            as days_in_renewal_window,
        today_scores.renewal_score,
        today_scores.renewal_score_uncapped,
        today_scores.renewal_coverage,
        bands.band as renewal_band,
        open_scores.renewal_score as renewal_score_at_window_open,
        {{ health_round("today_scores.renewal_score - open_scores.renewal_score", 2) }}
            as renewal_score_change_since_window_open,
        health_daily.health_score,
        health_daily.band,
        health_daily.cap_rule,
        health_daily.override_reason,
        renewal_drivers.renewal_primary_driver,
        renewal_drivers.renewal_primary_driver_points_lost,
        health_playbooks.playbook as renewal_playbook,
        health_playbooks.owner_role as renewal_playbook_owner_role,
        health_daily.config_version
    from in_window_today
    inner join today_health as health_daily
        on {{ same_account_day('in_window_today', 'health_daily', 'as_of_date', 'date_day') }}
    inner join today_scores
        on {{ same_account_day('in_window_today', 'today_scores', 'as_of_date', 'date_day') }}
    left join window_open_days
        on in_window_today.account_id = window_open_days.account_id
    left join open_scores
        on in_window_today.account_id = open_scores.account_id
    left join accounts
        on in_window_today.account_id = accounts.account_id
    left join renewal_drivers
        on {{ same_account_day('in_window_today', 'renewal_drivers', 'as_of_date', 'date_day') }}
    left join health_playbooks
        on renewal_drivers.renewal_primary_driver = health_playbooks.component
    left join bands
        on {{ band_contains('bands', 'today_scores.renewal_score') }}
),

final as (
    select
        {{ contract_columns() }}
    from joined
)

select * from final
