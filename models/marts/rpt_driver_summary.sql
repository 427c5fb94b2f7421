{#-
    Which components drive at-risk accounts, by segment and month (SPEC §5,
    product feedback). An at-risk account-day is a scored day in the lowest
    ranked band of health_bands. One row per segment x month with at least
    one such day x component (all five, so a component that never drives
    shows zeros):
    - driver_account_days: at-risk account-days whose primary driver was the
      component;
    - driver_accounts: at-risk accounts whose driver of the month is the
      component. Each account counts once per segment and month: its driver
      of the month is the component that was its primary driver on most of
      its at-risk days (ties: the driver of the later day, then the name), so
      driver_accounts sums to the at-risk accounts that have a driver;
    - points_lost: points the component cost over all at-risk account-days,
      primary driver or not; avg_points_lost per at-risk account-day.
-#}
with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

health_components as (
    select * from {{ ref('fct_account_health_components') }}
),

health_playbooks as (
    select * from {{ ref('dim_health_components') }}
),

at_risk_days as (
    select
        health_daily.account_id,
        health_daily.date_day,
        coalesce(health_daily.segment, 'unknown') as segment,
        health_daily.primary_driver,
        health_daily.config_version,
        cast({{ dbt.date_trunc('month', 'health_daily.date_day') }} as date) as month_start
    from health_daily
    where health_daily.band_rank = {{ band_rank_extreme('lowest') }}
),

segment_months as (
    select
        segment,
        month_start,
        count(*) as at_risk_account_days,
        count(distinct account_id) as at_risk_accounts,
        max(config_version) as config_version
    from at_risk_days
    group by segment, month_start
),

component_days as (
    select
        at_risk_days.segment,
        at_risk_days.month_start,
        health_components.component,
        at_risk_days.account_id,
        health_components.points_lost,
        health_components.is_primary_driver
    from at_risk_days
    inner join health_components
        on {{ same_account_day('at_risk_days', 'health_components') }}
),

component_months as (
    select
        segment,
        month_start,
        component,
        {{ count_where('is_primary_driver') }} as driver_account_days,
        sum({{ scoring_fixed("points_lost") }}) as points_lost
    from component_days
    group by segment, month_start, component
),

account_driver_days as (
    select
        segment,
        month_start,
        account_id,
        primary_driver as component,
        count(*) as driver_days,
        max(date_day) as last_driver_day
    from at_risk_days
    where primary_driver is not null
    group by segment, month_start, account_id, primary_driver
),

account_month_drivers as (
    select
        segment,
        month_start,
        account_id,
        component,
        row_number() over (
            partition by segment, month_start, account_id
            order by driver_days desc, last_driver_day desc, component asc
        ) as driver_pick
    from account_driver_days
),

month_driver_accounts as (
    select
        segment,
        month_start,
        component,
        count(*) as driver_accounts
    from account_month_drivers
    where driver_pick = 1
    group by segment, month_start, component
),

components as (
    select component
    from health_playbooks
),

grid as (
    select
        segment_months.segment,
        segment_months.month_start,
        components.component,
        segment_months.at_risk_account_days,
        segment_months.at_risk_accounts,
        segment_months.config_version
    from segment_months
    cross join components
),

final as (
    select
        cast(grid.month_start as date) as month_start,
        cast(grid.segment as {{ dbt.type_string() }}) as segment,
        cast(grid.component as {{ dbt.type_string() }}) as component,
        cast(grid.at_risk_account_days as {{ dbt.type_int() }}) as at_risk_account_days,
        cast(grid.at_risk_accounts as {{ dbt.type_int() }}) as at_risk_accounts,
        cast(coalesce(component_months.driver_account_days, 0) as {{ dbt.type_int() }}) as driver_account_days,
        cast(coalesce(month_driver_accounts.driver_accounts, 0) as {{ dbt.type_int() }}) as driver_accounts,
        cast(
            coalesce(component_months.driver_account_days, 0)
            / cast(grid.at_risk_account_days as {{ type_double() }})
            as {{ type_double() }}
        ) as driver_share_of_account_days,
        cast(coalesce(component_months.points_lost, 0) as {{ type_double() }}) as points_lost,
        cast(
            coalesce(component_months.points_lost, 0)
            / cast(grid.at_risk_account_days as {{ type_double() }})
            as {{ type_double() }}
        ) as avg_points_lost,
        cast(health_playbooks.playbook as {{ dbt.type_string() }}) as playbook,
        cast(grid.config_version as {{ dbt.type_string() }}) as config_version
    from grid
    left join component_months
        on {{ same_keys('grid', 'component_months', ['segment', 'month_start', 'component']) }}
    left join month_driver_accounts
        on {{ same_keys('grid', 'month_driver_accounts', ['segment', 'month_start', 'component']) }}
    left join health_playbooks
        on grid.component = health_playbooks.component
)

select * from final
