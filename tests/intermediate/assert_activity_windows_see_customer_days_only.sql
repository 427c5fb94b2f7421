-- Business rule (SPEC §3, docs/method.md "Customer days only, and the first
-- weeks"): a day before the account was a customer is not a day of zero
-- activity. A 28-day activity metric is missing exactly while its window
-- holds fewer than window_min_customer_days customer days, and
-- is_onboarding marks the days whose 28-day window is not full of customer
-- days. Returns the account-days that break either rule.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

metrics as (
    select * from {{ ref('int_account_metrics_daily') }}
),

checked as (
    select
        account_days.account_id,
        account_days.date_day,
        account_days.customer_days_28d,
        account_days.is_onboarding,
        metrics.weeks_active_of_4,
        metrics.value_events_28d
    from account_days
    inner join metrics
        on {{ same_account_day('account_days', 'metrics') }}
)

select *
from checked
where
    (customer_days_28d < {{ metrics_min_customer_days() }}) != (weeks_active_of_4 is null)
    or (customer_days_28d < {{ metrics_min_customer_days() }}) != (value_events_28d is null)
    or is_onboarding != (customer_days_28d < 28)
