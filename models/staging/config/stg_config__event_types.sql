-- depends_on: {{ ref('stg_config__validation') }}
-- Classification of product event types into categories (unlisted types become
-- 'unknown'). Keys trimmed and lower-cased; read by every downstream model
-- instead of the raw seed. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('event_types') }}
),

final as (
    select
        event_type,
        category,
        description
    from seed_rows
)

select * from final
