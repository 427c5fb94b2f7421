{#-
    Where to grow (SPEC §5): current customers in the top band of
    health_bands that show at least one growth signal on as_of_date, ranked
    by expansion potential. Metric values are read by name from
    int_account_metrics_unpivoted (a metric missing from the catalogue, or
    not observed, gives no signal, never a false one):
    - seat signal: seat_utilization_28d >= var expansion_seat_utilization_min
      (default 0.9: the licensed seats are nearly all in use);
    - usage signal: usage_trend_7d_28d >= var expansion_usage_trend_min
      (default 1.1: the last 7 days ran at least 10 % above the 28-day pace);
    - value signal: days_since_last_value_event <= var
      expansion_value_event_days_max (default 14: a value event in the last
      two weeks).
    Rank: more signals first, then the larger ARR (the base an upsell grows
    from), then the higher health score, then account_id. expansion_motion
    names the conversation the strongest signal opens (seats, then usage,
    then value).
-#}
{%- set seat_min = var('expansion_seat_utilization_min', 0.9) -%}
{%- set trend_min = var('expansion_usage_trend_min', 1.1) -%}
{%- set value_days_max = var('expansion_value_event_days_max', 14) -%}

with

current_health as (
    select * from {{ ref('account_health_current') }}
),

metrics_unpivoted as (
    select * from {{ ref('int_account_metrics_unpivoted') }}
),

account_days as (
    select * from {{ ref('int_account_days') }}
),

healthy_now as (
    select current_health.*
    from current_health
    where current_health.band_rank = {{ band_rank_extreme('top') }}
),

growth_metrics as (
    select
        healthy_now.account_id,
        max(case when metrics_unpivoted.metric = 'seat_utilization_28d' then metrics_unpivoted.metric_value end)
            as seat_utilization_28d,
        max(case when metrics_unpivoted.metric = 'usage_trend_7d_28d' then metrics_unpivoted.metric_value end)
            as usage_trend_7d_28d,
        max(case when metrics_unpivoted.metric = 'value_events_28d' then metrics_unpivoted.metric_value end)
            as value_events_28d,
        max(
            case when metrics_unpivoted.metric = 'days_since_last_value_event' then metrics_unpivoted.metric_value end
        ) as days_since_last_value_event
    from healthy_now
    inner join metrics_unpivoted
        on {{ same_account_day('healthy_now', 'metrics_unpivoted', 'as_of_date', 'date_day') }}
    group by healthy_now.account_id
),

signals as (
    select
        healthy_now.*,
        account_days.seats,
        growth_metrics.seat_utilization_28d,
        growth_metrics.usage_trend_7d_28d,
        growth_metrics.value_events_28d,
        growth_metrics.days_since_last_value_event,
        coalesce(growth_metrics.seat_utilization_28d >= {{ seat_min }}, false) as has_seat_signal,
        coalesce(growth_metrics.usage_trend_7d_28d >= {{ trend_min }}, false) as has_usage_signal,
        coalesce(growth_metrics.days_since_last_value_event <= {{ value_days_max }}, false) as has_value_signal
    from healthy_now
    left join growth_metrics
        on healthy_now.account_id = growth_metrics.account_id
    left join account_days
        on {{ same_account_day('healthy_now', 'account_days', 'as_of_date', 'date_day') }}
),

counted as (
    select
        *,
        (case when has_seat_signal then 1 else 0 end)
        + (case when has_usage_signal then 1 else 0 end)
        + (case when has_value_signal then 1 else 0 end) as signal_count
    from signals
),

ranked as (
    select
        *,
        row_number() over (
            order by signal_count desc, arr desc, health_score desc, account_id asc
        ) as expansion_rank,
        case
            when has_seat_signal then 'Seat expansion: the licensed seats are nearly all in use'
            when has_usage_signal then 'Usage is growing: discuss the next tier or added capacity'
            else 'Fresh value: ask for a referral, a case study or the next use case'
        end as expansion_motion
    from counted
    where signal_count > 0
),

final as (
    select
        {{ contract_columns() }}
    from ranked
)

select * from final
