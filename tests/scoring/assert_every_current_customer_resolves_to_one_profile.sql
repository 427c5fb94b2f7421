-- Rule (SPEC §2 segment_profiles): every current customer is scored with
-- exactly one profile: its segment's profile in segment_profiles, or
-- `default` when the segment is not listed, and that profile has weights in
-- health_weights. Fails for a customer with no score row, several rows, no
-- profile, the wrong profile, or a profile without weights.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

segment_profiles as (
    select * from {{ ref('stg_config__segment_profiles') }}
),

health_weights as (
    select * from {{ ref('stg_config__health_weights') }}
),

current_health as (
    select * from {{ ref('account_health_current') }}
),

current_customers as (
    select
        account_days.account_id,
        min(coalesce(segment_profiles.profile, 'default')) as expected_profile,
        count(*) as mapped_profiles
    from account_days
    inner join data_bounds
        on account_days.date_day = data_bounds.as_of_date
    left join segment_profiles
        on account_days.segment = segment_profiles.segment
    group by account_days.account_id
),

profiles_with_weights as (
    select distinct profile
    from health_weights
),

scored as (
    select
        account_id,
        count(*) as score_rows,
        min(profile) as profile,
        count(distinct profile) as profiles
    from current_health
    group by account_id
)

select
    current_customers.account_id,
    current_customers.expected_profile,
    current_customers.mapped_profiles,
    scored.score_rows,
    scored.profile,
    scored.profiles
from current_customers
left join scored
    on current_customers.account_id = scored.account_id
left join profiles_with_weights
    on scored.profile = profiles_with_weights.profile
where
    current_customers.mapped_profiles <> 1
    or scored.score_rows is null
    or scored.score_rows <> 1
    or scored.profiles <> 1
    or scored.profile <> current_customers.expected_profile
    or profiles_with_weights.profile is null
