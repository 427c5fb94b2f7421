-- Usage metrics (component `usage` of seeds/health_metrics.csv) per account
-- per customer day. Windows are rows over the contiguous int_account_spine
-- and see customer days only: a customer day without events counts as zero
-- activity, a day before the account was a customer (or between spells) is
-- not in the window. Counts become rates per observed customer day, scaled
-- to the window (per week, of 4 weeks), and a 28-day metric is missing until
-- its window holds var window_min_customer_days (7) customer days, so a new
-- customer is not scored on days it was not a customer (docs/method.md).
-- active_days_share_28d: the share of the customer days among the 28 days
-- ending on the day with a login or core action (0..1, 1/28 steps with a full
-- window), the scored activity metric. The 7-day blocks of weeks_active_of_4
-- (computed, not scored by default: a 0..4 count too coarse to rank on) end
-- on the day (d-6..d, d-13..d-7, ...); a block counts as observed when it
-- holds a customer day.
-- Seats: the licensed seats of the active subscription lines; when they are
-- unknown, distinct active users stand in (core_actions_per_seat_week_28d
-- only; seat_utilization_28d is null without licensed seats).
{{ health_incremental_config() }}
-- Incremental (macros/metrics/metrics_incremental.sql): the windows reach 27
-- days back (28 rows; the fourth 7-day block is lag 21 of a 7-row window),
-- so the spine and the activity are read from start - 27; the distinct-user
-- count (a running sum of deltas) continues from the deltas before that day,
-- the renewal-window count from the stored day start - 1.
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set read_from = health_incremental_shift(start, -27) | trim %}
with
{{ metrics_activity_imports(start, read_from, [
    'sum(active_user_delta) as active_user_delta_seed'
]) }}

{{ metrics_stored(start, ['core_actions_since_window_open']) }}

spine_activity as (
    {{ metrics_on_spine(
        'activity', ['core_actions', 'is_active_day', 'active_user_delta'], spine_columns=['seats', 'is_customer'],
        expressions=['seeds.active_user_delta_seed'], seeds='seeds'
    ) }}
),

windowed as (
    select
        account_id,
        date_day,
        seats,
        {{ metrics_customer_window_sum('core_actions', 7) }} as core_actions_7d,
        {{ metrics_customer_window_sum('core_actions', 28) }} as core_actions_28d,
        {{ metrics_customer_window_sum('is_active_day', 7) }} as active_days_7d,
        {{ metrics_customer_window_sum('is_active_day', 28) }} as active_days_28d,
        {{ metrics_customer_days(7) }} as customer_days_7d,
        {{ metrics_customer_days(28) }} as customer_days_28d,
        {{ metrics_running('sum', 'active_user_delta', 'active_user_delta_seed') }} as active_users_28d,
        {{ metrics_rolling('sum', 'core_actions') }} as core_actions_cumulative
    from spine_activity
),

weekly as (
    select
        *,
        coalesce(lag(active_days_7d, 7) over (partition by account_id order by date_day), 0) as active_days_week_2,
        coalesce(lag(active_days_7d, 14) over (partition by account_id order by date_day), 0) as active_days_week_3,
        coalesce(lag(active_days_7d, 21) over (partition by account_id order by date_day), 0) as active_days_week_4,
        (case when customer_days_7d > 0 then 1 else 0 end)
        + coalesce(lag(case when customer_days_7d > 0 then 1 else 0 end, 7) over (
            partition by account_id order by date_day
        ), 0)
        + coalesce(lag(case when customer_days_7d > 0 then 1 else 0 end, 14) over (
            partition by account_id order by date_day
        ), 0)
        + coalesce(lag(case when customer_days_7d > 0 then 1 else 0 end, 21) over (
            partition by account_id order by date_day
        ), 0) as weeks_observed_of_4
    from windowed
),

metrics as (
    select
        account_days.account_id,
        account_days.date_day,
        account_days.is_in_renewal_window,
        {{ metrics_since_window_open(
            'core_actions_cumulative', 'weekly', start=start, carried='stored.core_actions_since_window_open'
        ) }} as core_actions_in_window,
        weekly.customer_days_28d >= {{ metrics_min_customer_days() }} as is_window_observed,
        -- core actions per observed customer week (28 customer days = 4 weeks)
        cast(weekly.core_actions_28d as {{ type_double() }}) * 7 / weekly.customer_days_28d as core_actions_week_28d,
        weekly.seats,
        weekly.active_users_28d,
        weekly.core_actions_28d,
        cast(weekly.active_days_28d as {{ type_double() }}) / weekly.customer_days_28d as active_days_share_28d,
        4 * cast(
            (case when weekly.active_days_7d > 0 then 1 else 0 end)
            + (case when weekly.active_days_week_2 > 0 then 1 else 0 end)
            + (case when weekly.active_days_week_3 > 0 then 1 else 0 end)
            + (case when weekly.active_days_week_4 > 0 then 1 else 0 end)
            as {{ type_double() }}
        ) / weekly.weeks_observed_of_4 as weeks_active_of_4,
        case
            when weekly.core_actions_28d > 0 and weekly.customer_days_7d = 7
                then (cast(weekly.core_actions_7d as {{ type_double() }}) / weekly.customer_days_7d)
                    / (cast(weekly.core_actions_28d as {{ type_double() }}) / weekly.customer_days_28d)
        end as usage_trend_7d_28d
    from account_days
    inner join weekly
        on {{ same_account_day('account_days', 'weekly') }}
    left join weekly as window_opening
        on {{ metrics_window_opening_join('account_days', 'window_opening', start) }}
    {{ metrics_stored_join(start) }}
),

rated as (
    select
        account_id,
        date_day,
        is_in_renewal_window,
        core_actions_in_window,
        case
            when not is_window_observed then null
            when seats > 0 then core_actions_week_28d / seats
            when active_users_28d > 0 then core_actions_week_28d / active_users_28d
            when core_actions_28d = 0 then 0
        end as core_actions_per_seat_week_28d,
        case when is_window_observed then weeks_active_of_4 end as weeks_active_of_4,
        case when is_window_observed then active_days_share_28d end as active_days_share_28d,
        case
            when is_window_observed and seats > 0
                then cast(active_users_28d as {{ type_double() }}) / seats
        end as seat_utilization_28d,
        case when is_window_observed then usage_trend_7d_28d end as usage_trend_7d_28d
    from metrics
),

final as (
    select
        account_id,
        date_day,
        cast(core_actions_per_seat_week_28d as {{ type_double() }}) as core_actions_per_seat_week_28d,
        cast(weeks_active_of_4 as {{ type_double() }}) as weeks_active_of_4,
        cast(active_days_share_28d as {{ type_double() }}) as active_days_share_28d,
        cast(seat_utilization_28d as {{ type_double() }}) as seat_utilization_28d,
        cast(usage_trend_7d_28d as {{ type_double() }}) as usage_trend_7d_28d,
        case
            when is_in_renewal_window
                then cast(core_actions_in_window as {{ type_double() }})
        end as core_actions_since_window_open
    from rated
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
