-- Rule (SPEC §4.7, §5): every account in the lowest band names the component
-- driving it and that component's playbook, so the CS team knows what to fix.
-- The only exception is an account that loses no points at all (uncapped
-- 100) and is held down by a cap or an override alone.
with

current_health as (
    select * from {{ ref('account_health_current') }}
)

select
    current_health.account_id,
    current_health.band,
    current_health.health_score,
    current_health.primary_driver,
    current_health.playbook
from current_health
where
    current_health.band_rank = {{ seed_band_rank('lowest') }}
    and current_health.health_score_uncapped < 100
    and (current_health.primary_driver is null or current_health.playbook is null)
