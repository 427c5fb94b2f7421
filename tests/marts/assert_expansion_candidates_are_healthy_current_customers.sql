-- Rule (SPEC §5 rpt_expansion_candidates, methodology: "high health marks
-- expansion candidates"): the list holds exactly the current customers in
-- the top band that show at least one growth signal, never an account that
-- is at risk, watched or gone. Fails for a candidate outside the top band or
-- not a current customer (or scored differently from account_health_current),
-- and for a healthy account with a signal that is missing from the list.
with

candidates as (
    select * from {{ ref('rpt_expansion_candidates') }}
),

current_health as (
    select * from {{ ref('account_health_current') }}
),

healthy as (
    select current_health.*
    from current_health
    where current_health.band_rank = {{ seed_band_rank('top') }}
),

wrong_candidates as (
    select
        candidates.account_id,
        'not a healthy current customer' as failure
    from candidates
    left join healthy
        on {{ same_keys('candidates', 'healthy', ['account_id', 'as_of_date', 'health_score']) }}
    where healthy.account_id is null
),

missing_candidates as (
    select
        healthy.account_id,
        'healthy with a growth signal but not listed' as failure
    from healthy
    inner join {{ ref('int_account_metrics_unpivoted') }} as metrics
        on {{ same_account_day('healthy', 'metrics', 'as_of_date', 'date_day') }}
    left join candidates
        on healthy.account_id = candidates.account_id
    where
        candidates.account_id is null
        and (
            (metrics.metric = 'seat_utilization_28d'
                and metrics.metric_value >= {{ var('expansion_seat_utilization_min', 0.9) }})
            or (metrics.metric = 'usage_trend_7d_28d'
                and metrics.metric_value >= {{ var('expansion_usage_trend_min', 1.1) }})
            or (metrics.metric = 'days_since_last_value_event'
                and metrics.metric_value <= {{ var('expansion_value_event_days_max', 14) }})
        )
)

select * from wrong_candidates
union all
select * from missing_candidates
