-- depends_on: {{ ref('stg_config__validation') }}
-- Which scoring profile each account segment uses (segments not listed use
-- 'default'). Keys trimmed and lower-cased; read by every downstream model
-- instead of the raw seed. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('segment_profiles') }}
),

final as (
    select
        segment,
        profile
    from seed_rows
)

select * from final
