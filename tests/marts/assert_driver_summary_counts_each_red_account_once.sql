-- Rule (issue 10, SPEC §5 product feedback): rpt_driver_summary counts each
-- red account once per segment and month, under its driver of the month, so
-- the driver accounts of the five components add up to no more than the
-- segment-month's at-risk accounts, and to exactly the at-risk accounts that
-- have a primary driver on at least one at-risk day.
with

driver_summary as (
    select * from {{ ref('rpt_driver_summary') }}
),

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

driven_accounts as (
    select
        coalesce(health_daily.segment, 'unknown') as segment,
        cast({{ dbt.date_trunc('month', 'health_daily.date_day') }} as date) as month_start,
        count(distinct health_daily.account_id) as driven_accounts
    from health_daily
    where
        health_daily.band_rank = {{ seed_band_rank('lowest') }}
        and health_daily.primary_driver is not null
    group by
        coalesce(health_daily.segment, 'unknown'),
        cast({{ dbt.date_trunc('month', 'health_daily.date_day') }} as date)
),

summed as (
    select
        segment,
        month_start,
        max(at_risk_accounts) as at_risk_accounts,
        sum(driver_accounts) as driver_accounts
    from driver_summary
    group by segment, month_start
)

select
    summed.segment,
    summed.month_start,
    summed.at_risk_accounts,
    summed.driver_accounts,
    driven_accounts.driven_accounts
from summed
left join driven_accounts
    on {{ same_keys('summed', 'driven_accounts', ['segment', 'month_start']) }}
where
    summed.driver_accounts > summed.at_risk_accounts
    or summed.driver_accounts <> coalesce(driven_accounts.driven_accounts, 0)
