-- Sentiment metrics (component `sentiment` of seeds/health_metrics.csv) per
-- account per customer day.
-- nps_latest_180d / csat_latest_180d: the latest answer (by responded_at)
-- answered in the 180 days ending on the day; null when none.
-- survey_response_rate_180d: surveys sent in the 180 days ending on the day
-- whose outcome is known: answered (from the answer day) or unanswered once
-- their 14-day answer window has passed (from sent day + 14). A survey still
-- inside its answer window is not counted yet; a late answer turns a
-- non-response into an answer on its answer day. Null when no survey counts.
-- csm_pulse_score: the latest CSM pulse (red 0, yellow 0.5, green 1).
-- days_since_last_meeting: days since the latest held meeting, QBR or call.
-- Both null until first observed. Metrics of a switched-off source are null.
{%- set off_values = ['false', '0', 'no', 'off'] %}
{%- set surveys_enabled = 'false' if (var('enable_survey_responses') | string | lower) in off_values else 'true' %}
{%- set pulse_enabled = 'false' if (var('enable_csm_pulse') | string | lower) in off_values else 'true' %}
{%- set activities_enabled = 'false' if (var('enable_csm_activities') | string | lower) in off_values else 'true' %}
{%- set answer_window_days = 14 %}
{%- set survey_window_days = 180 %}
{{ health_incremental_config() }}
-- Incremental (macros/metrics/metrics_incremental.sql): the 180-day windows
-- (180 rows) reach 179 days back, so the spine is read from start - 179 and
-- the account days from start (surveys, pulses, activities, small, in full);
-- the latest pulse and meeting and the survey counts (running sums of +1/-1
-- deltas) continue from the facts dated before that day, the
-- renewal-window count from the stored day start - 1.
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set read_from = health_incremental_shift(start, -(survey_window_days - 1)) | trim %}
with
{{ metrics_imports({
    'surveys': 'stg_surveys__responses',
    'pulses': 'stg_crm__csm_pulse',
    'activities': 'stg_crm__csm_activities',
}, read_from={'spine': read_from, 'account_days': start}) }}

{{ metrics_stored(start, ['meetings_held_since_window_open']) }}

known_surveys as (
    select
        surveys.response_id,
        surveys.account_id,
        surveys.survey_type,
        surveys.score,
        surveys.responded_at,
        cast(surveys.sent_at as date) as sent_date,
        case
            when cast(surveys.responded_at as date) > bounds.as_of_date then null
            when cast(surveys.responded_at as date) < cast(surveys.sent_at as date) then cast(surveys.sent_at as date)
            else cast(surveys.responded_at as date)
        end as answered_date
    from surveys
    cross join bounds
    where cast(surveys.sent_at as date) <= bounds.as_of_date
),

ranked_answers as (
    select
        account_id,
        survey_type,
        answered_date,
        score,
        row_number() over (
            partition by account_id, survey_type, answered_date
            order by responded_at desc, response_id desc
        ) as answer_rank
    from known_surveys
    where answered_date is not null and score is not null
),

daily_answers as (
    select
        account_id,
        answered_date as date_day,
        max(case when survey_type = 'nps' then score end) as nps_score,
        max(case when survey_type = 'csat' then score end) as csat_score
    from ranked_answers
    where answer_rank = 1
    group by account_id, answered_date
),

survey_outcomes as (
    select
        account_id,
        sent_date,
        answered_date,
        case
            when answered_date <= {{ metrics_add_days('sent_date', answer_window_days) }} then answered_date
            else {{ metrics_add_days('sent_date', answer_window_days) }}
        end as decided_date,
        {{ metrics_add_days('sent_date', survey_window_days) }} as leaves_window_date
    from known_surveys
),

survey_deltas as (
    select
        account_id,
        decided_date as date_day,
        1 as decided_delta,
        0 as answered_delta
    from survey_outcomes
    union all
    select
        account_id,
        leaves_window_date as date_day,
        -1 as decided_delta,
        0 as answered_delta
    from survey_outcomes
    union all
    select
        account_id,
        answered_date as date_day,
        0 as decided_delta,
        1 as answered_delta
    from survey_outcomes
    where answered_date < leaves_window_date
    union all
    select
        account_id,
        leaves_window_date as date_day,
        0 as decided_delta,
        -1 as answered_delta
    from survey_outcomes
    where answered_date < leaves_window_date
),

survey_days as (
    select
        account_id,
        date_day,
        sum(decided_delta) as decided_delta,
        sum(answered_delta) as answered_delta
    from survey_deltas
    group by account_id, date_day
),

ranked_pulses as (
    select
        pulses.account_id,
        cast(pulses.recorded_at as date) as recorded_date,
        case pulses.pulse
            when 'red' then 0.0
            when 'yellow' then 0.5
            when 'green' then 1.0
        end as pulse_score,
        row_number() over (
            partition by pulses.account_id, cast(pulses.recorded_at as date)
            order by pulses.recorded_at desc, pulses.pulse_id desc
        ) as pulse_rank
    from pulses
    cross join bounds
    where cast(pulses.recorded_at as date) <= bounds.as_of_date
),

daily_pulses as (
    select
        account_id,
        recorded_date as date_day,
        pulse_score
    from ranked_pulses
    where pulse_rank = 1
),

meeting_days as (
    select
        activities.account_id,
        cast(activities.occurred_at as date) as date_day,
        count(*) as meetings_held
    from activities
    cross join bounds
    where
        activities.status = 'held'
        and activities.activity_type in ('meeting', 'qbr', 'call')
        and cast(activities.occurred_at as date) <= bounds.as_of_date
    group by activities.account_id, cast(activities.occurred_at as date)
),

seed_facts as (
    -- the facts of spine_facts, for the seeds of its running values
    select
        account_id,
        date_day,
        date_day as pulse_date,
        cast(null as date) as meeting_date,
        0 as decided_delta,
        0 as answered_delta
    from daily_pulses
    union all
    select
        account_id,
        date_day,
        cast(null as date) as pulse_date,
        date_day as meeting_date,
        0 as decided_delta,
        0 as answered_delta
    from meeting_days
    where meetings_held > 0
    union all
    select
        account_id,
        date_day,
        cast(null as date) as pulse_date,
        cast(null as date) as meeting_date,
        decided_delta,
        answered_delta
    from survey_days
),

seeds as (
    select
        account_id,
        max(pulse_date) as pulse_date_seed,
        max(meeting_date) as meeting_date_seed,
        sum(decided_delta) as decided_seed,
        sum(answered_delta) as answered_seed
    from seed_facts
    where {{ metrics_before('date_day', read_from) }}
    group by account_id
),

spine_facts as (
    select
        spine.account_id,
        spine.date_day,
        case when daily_answers.nps_score is not null then spine.date_day end as nps_date,
        case when daily_answers.csat_score is not null then spine.date_day end as csat_date,
        case when daily_pulses.pulse_score is not null then spine.date_day end as pulse_date,
        case when meeting_days.meetings_held > 0 then spine.date_day end as meeting_date,
        coalesce(meeting_days.meetings_held, 0) as meetings_held,
        coalesce(survey_days.decided_delta, 0) as decided_delta,
        coalesce(survey_days.answered_delta, 0) as answered_delta,
        seeds.pulse_date_seed,
        seeds.meeting_date_seed,
        seeds.decided_seed,
        seeds.answered_seed
    from spine
    left join daily_answers
        on {{ same_account_day('spine', 'daily_answers') }}
    left join daily_pulses
        on {{ same_account_day('spine', 'daily_pulses') }}
    left join meeting_days
        on {{ same_account_day('spine', 'meeting_days') }}
    left join survey_days
        on {{ same_account_day('spine', 'survey_days') }}
    left join seeds
        on spine.account_id = seeds.account_id
),

windowed as (
    select
        account_id,
        date_day,
        {{ metrics_rolling('max', 'nps_date', survey_window_days) }} as last_nps_date,
        {{ metrics_rolling('max', 'csat_date', survey_window_days) }} as last_csat_date,
        {{ metrics_running('max', 'pulse_date', 'pulse_date_seed') }} as last_pulse_date,
        {{ metrics_running('max', 'meeting_date', 'meeting_date_seed') }} as last_meeting_date,
        {{ metrics_rolling('sum', 'meetings_held') }} as meetings_held_cumulative,
        {{ metrics_running('sum', 'decided_delta', 'decided_seed') }} as surveys_decided_180d,
        {{ metrics_running('sum', 'answered_delta', 'answered_seed') }} as surveys_answered_180d
    from spine_facts
),

metrics as (
    select
        account_days.account_id,
        account_days.date_day,
        nps_answers.nps_score as nps_latest_180d,
        csat_answers.csat_score as csat_latest_180d,
        case
            when windowed.surveys_decided_180d > 0
                then cast(windowed.surveys_answered_180d as {{ type_double() }}) / windowed.surveys_decided_180d
        end as survey_response_rate_180d,
        latest_pulses.pulse_score as csm_pulse_score,
        {{ metrics_days_between('windowed.last_meeting_date', 'windowed.date_day') }} as days_since_last_meeting,
        case
            when account_days.is_in_renewal_window
                then {{ metrics_since_window_open(
                    'meetings_held_cumulative', start=start, carried='stored.meetings_held_since_window_open'
                ) }}
        end as meetings_held_since_window_open
    from account_days
    inner join windowed
        on {{ same_account_day('account_days', 'windowed') }}
    left join windowed as window_opening
        on {{ metrics_window_opening_join('account_days', 'window_opening', start) }}
    {{ metrics_stored_join(start) }}
    left join daily_answers as nps_answers
        on {{ same_account_day('windowed', 'nps_answers', 'last_nps_date', 'date_day') }}
    left join daily_answers as csat_answers
        on {{ same_account_day('windowed', 'csat_answers', 'last_csat_date', 'date_day') }}
    left join daily_pulses as latest_pulses
        on {{ same_account_day('windowed', 'latest_pulses', 'last_pulse_date', 'date_day') }}
),

final as (
    -- metrics of a switched-off source are null (not observed)
    select
        account_id,
        date_day,
        cast(case when {{ surveys_enabled }} then nps_latest_180d end as {{ type_double() }}) as nps_latest_180d,
        cast(case when {{ surveys_enabled }} then csat_latest_180d end as {{ type_double() }}) as csat_latest_180d,
        cast(
            case when {{ surveys_enabled }} then survey_response_rate_180d end as {{ type_double() }}
        ) as survey_response_rate_180d,
        cast(case when {{ pulse_enabled }} then csm_pulse_score end as {{ type_double() }}) as csm_pulse_score,
        cast(
            case when {{ activities_enabled }} then days_since_last_meeting end as {{ type_double() }}
        ) as days_since_last_meeting,
        cast(
            case when {{ activities_enabled }} then meetings_held_since_window_open end as {{ type_double() }}
        ) as meetings_held_since_window_open
    from metrics
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
