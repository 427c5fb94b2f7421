-- Rule (SPEC §5 rpt_at_risk_queue): the queue holds exactly the current
-- customers scoring below the watch threshold, and queue_rank orders them by
-- revenue at risk (ARR x (100 - score) / 100, highest first), then by the
-- fastest 28-day decline. Fails for a missing or extra account, or a rank
-- whose revenue at risk exceeds the previous rank's.
with

queue as (
    select * from {{ ref('rpt_at_risk_queue') }}
),

current_health as (
    select * from {{ ref('account_health_current') }}
),

thresholds as (
    select distinct watch_threshold
    from queue
),

expected as (
    select current_health.account_id
    from current_health
    cross join thresholds
    where current_health.health_score < thresholds.watch_threshold
),

membership_failures as (
    select
        coalesce(expected.account_id, queue.account_id) as account_id,
        'queue membership differs from scores below the watch threshold' as failure
    from expected
    full outer join queue
        on expected.account_id = queue.account_id
    where expected.account_id is null or queue.account_id is null
),

ordered as (
    select
        account_id,
        queue_rank,
        revenue_at_risk,
        score_change_28d,
        lag(revenue_at_risk) over (order by queue_rank) as previous_revenue_at_risk,
        lag(score_change_28d) over (order by queue_rank) as previous_score_change_28d,
        row_number() over (order by queue_rank) as position
    from queue
),

order_failures as (
    select
        account_id,
        'queue_rank does not follow revenue at risk' as failure
    from ordered
    where
        previous_revenue_at_risk < revenue_at_risk
        or (
            previous_revenue_at_risk = revenue_at_risk
            and previous_score_change_28d > score_change_28d
        )
        or queue_rank <> position
)

select * from membership_failures
union all
select * from order_failures
union all
select
    'all' as account_id,
    'more than one watch threshold' as failure
from thresholds
having count(*) > 1
