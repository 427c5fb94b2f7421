-- Billing metrics (component `billing` of seeds/health_metrics.csv) per
-- account per customer day.
-- days_past_due: an invoice is past due from the day after its due date until
-- the day it is paid (paid_at after the day = still unpaid that day); the
-- value is the age of the oldest such invoice, 0 when none, null before the
-- account's first invoice is issued. Void invoices never count.
-- failed_payments_90d: failed attempts in the 90 days ending on the day.
-- mrr_change_90d_pct: MRR versus 90 days earlier; null when the account was
-- not a paying customer 90 days earlier.
-- An invoice written off (status uncollectible) stops counting as past due
-- `uncollectible_past_due_days` (default 90) days after its due date, so a
-- bad debt does not hold the score (and the past-due cap) down forever.
-- Metrics of a switched-off source (enable_invoices, enable_payments) are null.
{%- set off_values = ['false', '0', 'no', 'off'] %}
{%- set invoices_enabled = 'false' if (var('enable_invoices') | string | lower) in off_values else 'true' %}
{%- set payments_enabled = 'false' if (var('enable_payments') | string | lower) in off_values else 'true' %}
{{ health_incremental_config() }}
-- Incremental (macros/metrics/metrics_incremental.sql): the 90-day windows
-- (90 rows, lag 90 of MRR) reach 90 days back, so the spine is read from
-- start - 90 and the account days from start (invoices and payments, small,
-- in full); the renewal-window count continues from the stored day start - 1.
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set read_from = health_incremental_shift(start, -90) | trim %}
with
{{ metrics_imports(
    {'invoices': 'stg_billing__invoices', 'payments': 'stg_billing__payments'},
    read_from={'spine': read_from, 'account_days': start}
) }}

{{ metrics_stored(start, ['failed_payments_since_window_open']) }}

known_invoices as (
    select
        invoices.account_id,
        invoices.issued_at as issued_date,
        invoices.due_date,
        coalesce(invoices.status = 'uncollectible', false) as is_written_off,
        case
            when cast(invoices.paid_at as date) <= bounds.as_of_date then cast(invoices.paid_at as date)
        end as paid_date
    from invoices
    cross join bounds
    where
        invoices.issued_at <= bounds.as_of_date
        and (invoices.status is null or invoices.status != 'void')
),

first_invoices as (
    select
        account_id,
        min(issued_date) as first_issued_date
    from known_invoices
    group by account_id
),

past_due_days as (
    select
        account_days.account_id,
        account_days.date_day,
        min(known_invoices.due_date) as oldest_past_due_date
    from account_days
    inner join known_invoices
        on
            account_days.account_id = known_invoices.account_id
            and account_days.date_day >= known_invoices.issued_date
            and account_days.date_day > known_invoices.due_date
            and (known_invoices.paid_date is null or account_days.date_day < known_invoices.paid_date)
            and (
                not known_invoices.is_written_off
                or account_days.date_day
                <= {{ metrics_add_days('known_invoices.due_date', var('uncollectible_past_due_days', 90) | int) }}
            )
    group by account_days.account_id, account_days.date_day
),

failed_payment_days as (
    select
        payments.account_id,
        cast(payments.attempted_at as date) as date_day,
        count(*) as failed_payments
    from payments
    cross join bounds
    where
        payments.status = 'failed'
        and cast(payments.attempted_at as date) <= bounds.as_of_date
    group by payments.account_id, cast(payments.attempted_at as date)
),

spine_billing as (
    {{ metrics_on_spine('failed_payment_days', ['failed_payments'], spine_columns=['is_customer', 'mrr']) }}
),

windowed as (
    select
        account_id,
        date_day,
        mrr,
        lag(mrr, 90) over (partition by account_id order by date_day) as mrr_90d_ago,
        {{ metrics_rolling('sum', 'failed_payments', 90) }} as failed_payments_90d,
        {{ metrics_rolling('sum', 'failed_payments') }} as failed_payments_cumulative
    from spine_billing
),

final as (
    select
        account_days.account_id,
        account_days.date_day,
        case
            when not {{ invoices_enabled }} then null
            when first_invoices.first_issued_date is null then null
            when first_invoices.first_issued_date > account_days.date_day then null
            when past_due_days.oldest_past_due_date is null then 0
            else {{ metrics_days_between('past_due_days.oldest_past_due_date', 'account_days.date_day') }}
        end as days_past_due,
        case when {{ payments_enabled }} then windowed.failed_payments_90d end as failed_payments_90d,
        case
            when windowed.mrr_90d_ago > 0
                then (windowed.mrr - windowed.mrr_90d_ago) / windowed.mrr_90d_ago
        end as mrr_change_90d_pct,
        case
            when {{ payments_enabled }} and account_days.is_in_renewal_window
                then {{ metrics_since_window_open(
                    'failed_payments_cumulative', start=start, carried='stored.failed_payments_since_window_open'
                ) }}
        end as failed_payments_since_window_open
    from account_days
    inner join windowed
        on {{ same_account_day('account_days', 'windowed') }}
    left join windowed as window_opening
        on {{ metrics_window_opening_join('account_days', 'window_opening', start) }}
    {{ metrics_stored_join(start) }}
    left join past_due_days
        on {{ same_account_day('account_days', 'past_due_days') }}
    left join first_invoices
        on account_days.account_id = first_invoices.account_id
),

typed as (
    select
        account_id,
        date_day,
        cast(days_past_due as {{ type_double() }}) as days_past_due,
        cast(failed_payments_90d as {{ type_double() }}) as failed_payments_90d,
        cast(mrr_change_90d_pct as {{ type_double() }}) as mrr_change_90d_pct,
        cast(failed_payments_since_window_open as {{ type_double() }}) as failed_payments_since_window_open
    from final
)

select * from typed
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
