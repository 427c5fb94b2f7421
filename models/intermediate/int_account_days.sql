-- One row per account per customer day up to as_of_date: the customer
-- timeline every score is computed on. MRR and seats are summed over the
-- subscription lines active that day; the next renewal is the end of the
-- current contract term (the earliest among active lines, derived from
-- start_date and billing_period_months, never from a future end_date).
-- Renewal window: a day is in it when it is at most renewal_window_days
-- before the next renewal. renewal_window_start_date is the day the account
-- entered the window it is in (the first day of the current run of
-- consecutive in-window days), so an account whose terms are shorter than
-- the window (monthly, quarterly) stays in one window across renewals, and a
-- renewal that moves later (a new, longer term) takes the account out of it.
-- Outside the window it is the day the window will open (term end - window).
-- Onboarding: customer_days_28d counts the customer days among the 28
-- calendar days ending on the day; is_onboarding while it is below 28 (the
-- activity windows are not full yet: docs/method.md, time).
{%- set window_days = var('renewal_window_days') | int %}
with

spine as (
    select * from {{ ref('int_account_spine') }}
),

spells as (
    select * from {{ ref('int_customer_spells') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

customer_windows as (
    select
        account_id,
        date_day,
        {{ metrics_customer_days(28) }} as customer_days_28d
    from spine
),

customer_days as (
    select
        spine.account_id,
        spine.date_day,
        spine.mrr,
        spine.seats,
        spine.billing_period_months,
        spine.term_end_date,
        spells.spell_start_date as customer_since,
        customer_windows.customer_days_28d
    from spine
    inner join customer_windows
        on {{ same_account_day('spine', 'customer_windows') }}
    inner join spells
        on
            spine.account_id = spells.account_id
            and spine.date_day >= spells.spell_start_date
            and (spells.spell_end_date is null or spine.date_day < spells.spell_end_date)
    where spine.is_customer
),

window_flags as (
    select
        *,
        coalesce(date_day >= {{ metrics_add_days('term_end_date', -window_days) }}, false) as is_in_renewal_window
    from customer_days
),

window_entries as (
    select
        *,
        case
            when
                is_in_renewal_window
                and not coalesce(
                    lag(is_in_renewal_window) over (partition by account_id order by date_day)
                    and lag(date_day) over (partition by account_id order by date_day)
                    = {{ metrics_add_days('date_day', -1) }},
                    false
                )
                then date_day
        end as window_entry_date
    from window_flags
),

windowed as (
    select
        *,
        case
            when is_in_renewal_window
                then {{ metrics_rolling('max', 'window_entry_date') }}
            else {{ metrics_add_days('term_end_date', -window_days) }}
        end as renewal_window_start_date
    from window_entries
),

final as (
    select
        windowed.account_id,
        windowed.date_day,
        accounts.segment,
        windowed.mrr,
        windowed.seats,
        windowed.billing_period_months,
        windowed.customer_since,
        {{ metrics_days_between('windowed.customer_since', 'windowed.date_day') }} as tenure_days,
        windowed.term_end_date,
        {{ metrics_days_between('windowed.date_day', 'windowed.term_end_date') }} as days_to_renewal,
        windowed.renewal_window_start_date,
        windowed.is_in_renewal_window,
        case
            when windowed.is_in_renewal_window
                then {{ metrics_days_between('windowed.renewal_window_start_date', 'windowed.date_day') }}
        end as days_in_renewal_window,
        cast(windowed.customer_days_28d as {{ dbt.type_int() }}) as customer_days_28d,
        windowed.customer_days_28d < 28 as is_onboarding
    from windowed
    left join accounts
        on windowed.account_id = accounts.account_id
)

select * from final
