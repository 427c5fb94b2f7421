-- Support metrics (component `support` of seeds/health_metrics.csv) per
-- account per customer day. A ticket is open from its creation day until its
-- resolution day (resolved from that day on; a resolution after as_of_date is
-- not known yet).
-- reopen_count and is_escalated are current-state flags without a timestamp:
-- a reopen or an escalation could have happened any time before the ticket's
-- final resolution, so a ticket counts as reopened / escalated only from its
-- resolution day (while it was created in the last 90 days). Counting it
-- from its creation day would leak later events into earlier days.
-- Metrics are null when enable_support_tickets is off.
{%- set off_values = ['false', '0', 'no', 'off'] %}
{%- set tickets_enabled = 'false' if (var('enable_support_tickets') | string | lower) in off_values else 'true' %}
{{ health_incremental_config() }}
-- Incremental (macros/metrics/metrics_incremental.sql): bug_tickets_90d (90
-- rows) reaches 89 days back, so the spine is read from start - 89 and the
-- account days from start (tickets, small, in full); the open counts
-- (running sums of +1/-1 deltas) continue from the deltas dated before that
-- day, the renewal-window count from the stored day start - 1.
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set read_from = health_incremental_shift(start, -89) | trim %}
with
{{ metrics_imports({'tickets': 'stg_support__tickets'}, read_from={'spine': read_from, 'account_days': start}) }}

{{ metrics_stored(start, ['high_sev_tickets_since_window_open']) }}

known_tickets as (
    select
        tickets.account_id,
        tickets.severity,
        tickets.reopen_count,
        tickets.is_escalated,
        tickets.is_bug,
        tickets.created_at,
        tickets.resolved_at,
        cast(tickets.created_at as date) as created_date,
        case
            when cast(tickets.resolved_at as date) > bounds.as_of_date then null
            when cast(tickets.resolved_at as date) < cast(tickets.created_at as date)
                then cast(tickets.created_at as date)
            else cast(tickets.resolved_at as date)
        end as resolved_date
    from tickets
    cross join bounds
    where cast(tickets.created_at as date) <= bounds.as_of_date
),

ticket_deltas as (
    -- severity-1 tickets: +1 on creation, -1 on resolution
    select
        account_id,
        created_date as date_day,
        1 as open_sev1_delta,
        0 as reopened_delta,
        0 as escalated_delta,
        0 as bug_tickets,
        0 as high_sev_tickets
    from known_tickets
    where severity = 1
    union all
    select
        account_id,
        resolved_date as date_day,
        -1 as open_sev1_delta,
        0 as reopened_delta,
        0 as escalated_delta,
        0 as bug_tickets,
        0 as high_sev_tickets
    from known_tickets
    where severity = 1 and resolved_date is not null
    -- reopened / escalated: counted from resolution until 90 days after creation
    {% for counted_from, delta in [('resolved_date', 1), (metrics_add_days('created_date', 90), -1)] %}
        union all
        select
            account_id,
            {{ counted_from }} as date_day,
            0 as open_sev1_delta,
            case when reopen_count >= 1 then {{ delta }} else 0 end as reopened_delta,
            case when is_escalated then {{ delta }} else 0 end as escalated_delta,
            0 as bug_tickets,
            0 as high_sev_tickets
        from known_tickets
        where
            resolved_date is not null
            and resolved_date < {{ metrics_add_days('created_date', 90) }}
            and (reopen_count >= 1 or is_escalated)
    {% endfor %}
    -- created counts (windowed below)
    union all
    select
        account_id,
        created_date as date_day,
        0 as open_sev1_delta,
        0 as reopened_delta,
        0 as escalated_delta,
        case when is_bug then 1 else 0 end as bug_tickets,
        case when severity <= 2 then 1 else 0 end as high_sev_tickets
    from known_tickets
),

ticket_days as (
    select
        account_id,
        date_day,
        sum(open_sev1_delta) as open_sev1_delta,
        sum(reopened_delta) as reopened_delta,
        sum(escalated_delta) as escalated_delta,
        sum(bug_tickets) as bug_tickets,
        sum(high_sev_tickets) as high_sev_tickets
    from ticket_deltas
    group by account_id, date_day
),

seeds as (
    select
        account_id,
        sum(open_sev1_delta) as open_sev1_seed,
        sum(reopened_delta) as reopened_seed,
        sum(escalated_delta) as escalated_seed
    from ticket_days
    where {{ metrics_before('date_day', read_from) }}
    group by account_id
),

spine_tickets as (
    {{ metrics_on_spine(
        'ticket_days', ['open_sev1_delta', 'reopened_delta', 'escalated_delta', 'bug_tickets', 'high_sev_tickets'],
        expressions=['seeds.open_sev1_seed', 'seeds.reopened_seed', 'seeds.escalated_seed'], seeds='seeds'
    ) }}
),

windowed as (
    select
        account_id,
        date_day,
        {{ metrics_running('sum', 'open_sev1_delta', 'open_sev1_seed') }} as open_sev1_tickets,
        {{ metrics_running('sum', 'reopened_delta', 'reopened_seed') }} as reopened_tickets_90d,
        {{ metrics_running('sum', 'escalated_delta', 'escalated_seed') }} as escalated_tickets_90d,
        {{ metrics_rolling('sum', 'bug_tickets', 90) }} as bug_tickets_90d,
        {{ metrics_rolling('sum', 'high_sev_tickets') }} as high_sev_tickets_cumulative
    from spine_tickets
),

resolution_hours as (
    select
        account_days.account_id,
        account_days.date_day,
        {{ metrics_median(
            'cast(' ~ dbt.datediff('known_tickets.created_at', 'known_tickets.resolved_at', 'second')
            ~ ' as ' ~ type_double() ~ ') / 3600'
        ) }} as median_hours_to_resolve
    from account_days
    inner join known_tickets
        on
            account_days.account_id = known_tickets.account_id
            and known_tickets.severity <= 2
            and account_days.date_day >= known_tickets.resolved_date
            and known_tickets.resolved_date > {{ metrics_add_days('account_days.date_day', -90) }}
    group by account_days.account_id, account_days.date_day
),

metrics as (
    select
        account_days.account_id,
        account_days.date_day,
        windowed.open_sev1_tickets,
        resolution_hours.median_hours_to_resolve as median_hours_to_resolve_high_sev_90d,
        windowed.reopened_tickets_90d,
        windowed.escalated_tickets_90d,
        windowed.bug_tickets_90d,
        case
            when account_days.is_in_renewal_window
                then {{ metrics_since_window_open(
                    'high_sev_tickets_cumulative', start=start, carried='stored.high_sev_tickets_since_window_open'
                ) }}
        end as high_sev_tickets_since_window_open
    from account_days
    inner join windowed
        on {{ same_account_day('account_days', 'windowed') }}
    left join windowed as window_opening
        on {{ metrics_window_opening_join('account_days', 'window_opening', start) }}
    {{ metrics_stored_join(start) }}
    left join resolution_hours
        on {{ same_account_day('account_days', 'resolution_hours') }}
),

final as (
    -- every metric is null (not observed) when the ticket source is switched off
    select
        account_id,
        date_day,
        cast(case when {{ tickets_enabled }} then open_sev1_tickets end as {{ type_double() }}) as open_sev1_tickets,
        cast(
            case when {{ tickets_enabled }} then median_hours_to_resolve_high_sev_90d end as {{ type_double() }}
        ) as median_hours_to_resolve_high_sev_90d,
        cast(case when {{ tickets_enabled }} then reopened_tickets_90d end as {{ type_double() }})
            as reopened_tickets_90d,
        cast(case when {{ tickets_enabled }} then escalated_tickets_90d end as {{ type_double() }})
            as escalated_tickets_90d,
        cast(case when {{ tickets_enabled }} then bug_tickets_90d end as {{ type_double() }}) as bug_tickets_90d,
        cast(
            case when {{ tickets_enabled }} then high_sev_tickets_since_window_open end as {{ type_double() }}
        ) as high_sev_tickets_since_window_open
    from metrics
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
