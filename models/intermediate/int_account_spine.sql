{%- set lookback_days = 180 -%}
-- Contiguous account x day spine, the base of every windowed metric. One row
-- per account per day from {{ lookback_days }} days before its first
-- subscription (or its first recorded fact, if earlier) to the day after its
-- last customer day (as_of_date at most), gaps between spells included, so
-- `rows between n preceding` windows count calendar days; activity windows
-- sum over customer days only (is_customer, metrics_customer_window_sum).
-- Point in time: subscriptions starting after as_of_date are ignored and an
-- end_date after as_of_date is not known yet (the line is open). The next
-- renewal (term end) is start_date + k x billing_period_months, the first
-- such date after the day: never a future end_date.
with

bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

events as (
    select * from {{ ref('stg_product__events') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

payments as (
    select * from {{ ref('stg_billing__payments') }}
),

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

surveys as (
    select * from {{ ref('stg_surveys__responses') }}
),

pulses as (
    select * from {{ ref('stg_crm__csm_pulse') }}
),

activities as (
    select * from {{ ref('stg_crm__csm_activities') }}
),

day_offsets as (
    {{ metrics_day_offsets() }}
),

known_subscriptions as (
    select
        subscriptions.subscription_id,
        subscriptions.account_id,
        subscriptions.start_date,
        case when subscriptions.end_date <= bounds.as_of_date then subscriptions.end_date end as end_date,
        subscriptions.mrr,
        subscriptions.seats,
        subscriptions.billing_period_months,
        bounds.as_of_date
    from subscriptions
    cross join bounds
    where subscriptions.start_date <= bounds.as_of_date
),

subscription_ranges as (
    select
        account_id,
        min(start_date) as first_start_date,
        {{ metrics_add_days('min(start_date)', -lookback_days) }} as lookback_start_date,
        case
            when count(*) > count(end_date) then max(as_of_date)
            else max(end_date)
        end as spine_end_date
    from known_subscriptions
    group by account_id
),

fact_dates as (
    select
        account_id,
        event_date as fact_date
    from events
    union all
    select
        account_id,
        issued_at as fact_date
    from invoices
    union all
    select
        account_id,
        cast(attempted_at as date) as fact_date
    from payments
    union all
    select
        account_id,
        cast(created_at as date) as fact_date
    from tickets
    union all
    select
        account_id,
        cast(sent_at as date) as fact_date
    from surveys
    union all
    select
        account_id,
        cast(recorded_at as date) as fact_date
    from pulses
    union all
    select
        account_id,
        cast(occurred_at as date) as fact_date
    from activities
),

first_facts as (
    select
        fact_dates.account_id,
        min(fact_dates.fact_date) as first_fact_date
    from fact_dates
    cross join bounds
    where fact_dates.fact_date <= bounds.as_of_date
    group by fact_dates.account_id
),

account_ranges as (
    select
        subscription_ranges.account_id,
        case
            when first_facts.first_fact_date < subscription_ranges.lookback_start_date
                then first_facts.first_fact_date
            else subscription_ranges.lookback_start_date
        end as spine_start_date,
        subscription_ranges.spine_end_date
    from subscription_ranges
    left join first_facts
        on subscription_ranges.account_id = first_facts.account_id
),

calendar_bounds as (
    select
        min(spine_start_date) as first_day,
        max(spine_end_date) as last_day
    from account_ranges
),

calendar as (
    select {{ metrics_add_days('calendar_bounds.first_day', 'day_offsets.day_offset') }} as date_day
    from day_offsets
    cross join calendar_bounds
    where day_offsets.day_offset <= {{ metrics_days_between('calendar_bounds.first_day', 'calendar_bounds.last_day') }}
),

account_calendar as (
    select
        account_ranges.account_id,
        calendar.date_day
    from account_ranges
    inner join calendar
        on
            account_ranges.spine_start_date <= calendar.date_day
            and account_ranges.spine_end_date >= calendar.date_day
),

subscription_days as (
    select
        account_calendar.account_id,
        account_calendar.date_day,
        known_subscriptions.subscription_id,
        known_subscriptions.start_date,
        known_subscriptions.mrr,
        known_subscriptions.seats,
        known_subscriptions.billing_period_months,
        -- terms completed by the day, counted on month boundaries; corrected below
        floor(
            cast(
                {{ dbt.datediff('known_subscriptions.start_date', 'account_calendar.date_day', 'month') }}
                as {{ type_double() }}
            )
            / known_subscriptions.billing_period_months
        ) as terms_elapsed
    from account_calendar
    inner join known_subscriptions
        on
            account_calendar.account_id = known_subscriptions.account_id
            and account_calendar.date_day >= known_subscriptions.start_date
            and (known_subscriptions.end_date is null or account_calendar.date_day < known_subscriptions.end_date)
),

subscription_term_candidates as (
    select
        *,
        {{ metrics_add_months('start_date', 'cast(terms_elapsed * billing_period_months as integer)') }}
            as candidate_term_end_date,
        {{ metrics_add_months('start_date', 'cast((terms_elapsed + 1) * billing_period_months as integer)') }}
            as following_term_end_date
    from subscription_days
),

subscription_terms as (
    select
        account_id,
        date_day,
        subscription_id,
        mrr,
        seats,
        billing_period_months,
        case
            when billing_period_months is null or billing_period_months < 1 then null
            when candidate_term_end_date > date_day then candidate_term_end_date
            else following_term_end_date
        end as term_end_date
    from subscription_term_candidates
),

subscription_terms_ranked as (
    select
        *,
        min(term_end_date) over (partition by account_id, date_day) as account_term_end_date
    from subscription_terms
),

account_day_subscriptions as (
    select
        account_id,
        date_day,
        count(*) as active_subscriptions,
        sum(mrr) as mrr,
        sum(seats) as seats,
        min(term_end_date) as term_end_date,
        -- the term of the line that renews first
        max(case when term_end_date = account_term_end_date then billing_period_months end) as billing_period_months
    from subscription_terms_ranked
    group by account_id, date_day
),

final as (
    select
        account_calendar.account_id,
        account_calendar.date_day,
        account_day_subscriptions.active_subscriptions is not null as is_customer,
        cast(account_day_subscriptions.mrr as {{ type_double() }}) as mrr,
        cast(account_day_subscriptions.seats as {{ dbt.type_int() }}) as seats,
        account_day_subscriptions.billing_period_months,
        account_day_subscriptions.term_end_date,
        coalesce(account_day_subscriptions.active_subscriptions, 0) as active_subscriptions
    from account_calendar
    left join account_day_subscriptions
        on {{ same_account_day('account_calendar', 'account_day_subscriptions') }}
)

select * from final
