-- Product events aggregated to one row per account per day that has
-- activity (or a change in the 28-day active-user count), up to as_of_date.
-- Only events on the account's customer days count (int_account_spine
-- is_customer): activity windows see customer days only (docs/method.md).
-- Event counts are summed quantities (quantity defaults to 1 in staging).
-- A user is active on a day with a login or core action; active_user_delta
-- is the change in the number of distinct users active in the 28 days ending
-- on the day, so a running sum of it over consecutive days is the distinct
-- 28-day active-user count (a user active on day a counts on days
-- a .. a + 27, or until their next active day takes over).
-- Incremental (macros/incremental): recomputing the days from `start` reads
-- the events from start - 28 days only, which is exact: a day's counts use
-- that day's events; a user span starting before start - 28 ends (its -1)
-- before start, and the next active day (lead) of a span starting on or
-- after start - 28 is later still, so it is read too.
{{ health_incremental_config() }}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set events_from = health_incremental_shift(start, -28) | trim %}
with
{{ metrics_imports({'events': 'stg_product__events'}, account_days=false) }}

{# inlined (DuckDB): the day counts and the user active days each scan the
   events themselves. Materialised once for both readers, every known event
   was held (or spilled) while the user-span window and the aggregates ran
   beside it: on the large preset at a 1GB limit that ran out of memory,
   inlined it spills and passes (docs/perf-notes/mem.md). #}
known_events as {{ health_cte_inline(postgres=false) }} (
    select
        events.account_id,
        events.user_id,
        events.event_category,
        events.event_date,
        events.quantity
    from events
    inner join spine
        on
            events.account_id = spine.account_id
            and events.event_date = spine.date_day
            and spine.is_customer
    cross join bounds
    {#- incremental: the events from start - 28 days on (header) #}
    where events.event_date <= bounds.as_of_date {{ health_incremental_filter('events.event_date', events_from) }}
),

event_days as (
    select
        account_id,
        event_date as date_day,
        sum(case when event_category = 'login' then quantity else 0 end) as logins,
        sum(case when event_category = 'core_action' then quantity else 0 end) as core_actions,
        sum(case when event_category = 'value_event' then quantity else 0 end) as value_events,
        sum(case when event_category = 'integration' then quantity else 0 end) as integration_events,
        max(case when event_category in ('login', 'core_action') then 1 else 0 end) as is_active_day
    from known_events
    group by account_id, event_date
),

user_active_days as (
    select distinct
        account_id,
        user_id,
        event_date as active_date
    from known_events
    where user_id is not null and event_category in ('login', 'core_action')
),

user_next_active_days as (
    select
        account_id,
        active_date,
        lead(active_date) over (partition by account_id, user_id order by active_date) as next_active_date
    from user_active_days
),

user_spans as (
    select
        account_id,
        active_date as span_start_date,
        case
            when next_active_date <= {{ metrics_add_days('active_date', 27) }} then next_active_date
            else {{ metrics_add_days('active_date', 28) }}
        end as span_end_date
    from user_next_active_days
),

span_signs as (
    select 1 as active_user_delta
    union all
    select -1 as active_user_delta
),

user_deltas as (
    -- one pass over the spans (read once, so no engine materialises them):
    -- +1 on the span's first day, -1 on its end day when that is known
    select
        user_spans.account_id,
        case
            when span_signs.active_user_delta = 1 then user_spans.span_start_date
            else user_spans.span_end_date
        end as date_day,
        span_signs.active_user_delta
    from user_spans
    cross join bounds
    cross join span_signs
    where span_signs.active_user_delta = 1 or user_spans.span_end_date <= bounds.as_of_date
),

unioned as (
    select
        account_id,
        date_day,
        logins,
        core_actions,
        value_events,
        integration_events,
        is_active_day,
        0 as active_user_delta
    from event_days
    union all
    select
        account_id,
        date_day,
        0 as logins,
        0 as core_actions,
        0 as value_events,
        0 as integration_events,
        0 as is_active_day,
        active_user_delta
    from user_deltas
),

final as (
    select
        account_id,
        date_day,
        cast(sum(logins) as {{ type_double() }}) as logins,
        cast(sum(core_actions) as {{ type_double() }}) as core_actions,
        cast(sum(value_events) as {{ type_double() }}) as value_events,
        cast(sum(integration_events) as {{ type_double() }}) as integration_events,
        max(is_active_day) as is_active_day,
        sum(active_user_delta) as active_user_delta
    from unioned
    group by account_id, date_day
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
