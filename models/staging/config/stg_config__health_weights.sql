-- depends_on: {{ ref('stg_config__validation') }}
-- Component weights per scoring profile (validated: sum to 1 per profile,
-- known components, default and renewal present). Keys trimmed and lower-
-- cased; read by every downstream model instead of the raw seed. Built only
-- after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_weights') }}
),

final as (
    select
        profile,
        component,
        weight
    from seed_rows
)

select * from final
