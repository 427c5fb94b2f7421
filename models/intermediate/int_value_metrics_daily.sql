-- Value metrics (component `value` of seeds/health_metrics.csv) per account
-- per customer day: value and integration events in the 28 days ending on
-- the day (0 when none) and the days since the latest value event on or
-- before the day (null until the first one). The 28-day windows see customer
-- days only: the count is a rate per observed customer day scaled to 28 days
-- (the plain count once the window is full), missing until the window holds
-- var window_min_customer_days (7) customer days (docs/method.md).
{{ health_incremental_config() }}
-- Incremental (macros/metrics/metrics_incremental.sql): the 28-day windows
-- reach 27 days back, so the spine and the activity are read from start - 27;
-- the latest value event and the cumulative count continue from the activity
-- before that day, the renewal-window count from the stored day start - 1.
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set read_from = health_incremental_shift(start, -27) | trim %}
with
-- (activity rows are customer days only: int_product_activity_daily)
{{ metrics_activity_imports(start, read_from, [
    'max(case when value_events > 0 then date_day end) as value_event_date_seed'
]) }}

{{ metrics_stored(start, ['value_events_since_window_open']) }}

spine_activity as (
    {{ metrics_on_spine(
        'activity', ['value_events', 'integration_events'], spine_columns=['is_customer'],
        expressions=[
            'case when spine.is_customer and activity.value_events > 0 then spine.date_day end as value_event_date',
            'seeds.value_event_date_seed'
        ],
        seeds='seeds'
    ) }}
),

windowed as (
    select
        account_id,
        date_day,
        {{ metrics_customer_window_sum('value_events', 28) }} as value_events_28d,
        {{ metrics_customer_window_sum('integration_events', 28) }} as integration_events_28d,
        {{ metrics_customer_days(28) }} as customer_days_28d,
        {{ metrics_running('max', 'value_event_date', 'value_event_date_seed') }} as last_value_event_date,
        {{ metrics_rolling('sum', 'value_events') }} as value_events_cumulative
    from spine_activity
),

final as (
    select
        account_days.account_id,
        account_days.date_day,
        case
            when windowed.customer_days_28d >= {{ metrics_min_customer_days() }}
                then cast(windowed.value_events_28d as {{ type_double() }}) * 28 / windowed.customer_days_28d
        end as value_events_28d,
        case
            when windowed.customer_days_28d >= {{ metrics_min_customer_days() }}
                then cast(windowed.integration_events_28d as {{ type_double() }}) * 28 / windowed.customer_days_28d
        end as integration_events_28d,
        cast(
            {{ metrics_days_between('windowed.last_value_event_date', 'windowed.date_day') }} as {{ type_double() }}
        ) as days_since_last_value_event,
        case
            when account_days.is_in_renewal_window
                then cast(
                        {{ metrics_since_window_open(
                            'value_events_cumulative', start=start, carried='stored.value_events_since_window_open'
                        ) }}
                        as {{ type_double() }}
                    )
        end as value_events_since_window_open
    from account_days
    inner join windowed
        on {{ same_account_day('account_days', 'windowed') }}
    left join windowed as window_opening
        on {{ metrics_window_opening_join('account_days', 'window_opening', start) }}
    {{ metrics_stored_join(start) }}
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
