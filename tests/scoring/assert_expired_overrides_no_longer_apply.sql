-- Rule (SPEC §2 health_overrides, §4.5): an override applies only on days
-- valid_from <= day <= expires_on. On any other day (in particular after it
-- expired) it neither names its reason nor moves the score: with no active
-- override, the final score equals the score after caps; with one, the
-- score respects its floor and cap (the cap wins a conflict).
with

health_scores as (
    select * from {{ ref('int_health_scores_capped') }}
),

health_overrides as (
    select * from {{ ref('stg_config__health_overrides') }}
),

active as (
    select
        health_scores.account_id,
        health_scores.date_day,
        max(health_overrides.score_floor) as expected_floor,
        min(health_overrides.score_cap) as expected_cap,
        count(*) as active_overrides
    from health_scores
    inner join health_overrides
        on
            health_scores.account_id = health_overrides.account_id
            and (health_overrides.valid_from is null or health_scores.date_day >= health_overrides.valid_from)
            and health_scores.date_day <= health_overrides.expires_on
    group by health_scores.account_id, health_scores.date_day
),

compared as (
    select
        health_scores.account_id,
        health_scores.date_day,
        health_scores.override_reason,
        health_scores.health_score_after_caps,
        health_scores.health_score,
        active.active_overrides,
        active.expected_floor,
        active.expected_cap
    from health_scores
    left join active
        on {{ same_account_day('health_scores', 'active') }}
)

select *
from compared
where
    (active_overrides is null and override_reason is not null)
    or (active_overrides is null and abs(coalesce(health_score, -1) - coalesce(health_score_after_caps, -1)) > 1e-9)
    or (active_overrides is not null and override_reason is null)
    or (active_overrides is not null and health_score > expected_cap + 1e-9)
    or (
        active_overrides is not null
        and health_score < expected_floor - 1e-9
        and (expected_cap is null or expected_cap >= expected_floor)
    )
