-- depends_on: {{ ref('stg_config__validation') }}
-- Score bands tiling 0-100 (min inclusive, max exclusive; the top band
-- includes 100). Keys trimmed and lower-cased; read by every downstream model
-- instead of the raw seed. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_bands') }}
),

final as (
    select
        band,
        min_score,
        max_score,
        rank,
        color,
        action
    from seed_rows
)

select * from final
