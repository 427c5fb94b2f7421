-- depends_on: {{ ref('stg_config__validation') }}
-- The metric catalogue: component, direction, the low/high normalisation
-- bounds and the weight within the component. Keys trimmed and lower-cased;
-- read by every downstream model instead of the raw seed. Built only after
-- stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_metrics') }}
),

final as (
    select
        metric,
        component,
        direction,
        threshold_type,
        low,
        high,
        weight,
        missing_value,
        description
    from seed_rows
)

select * from final
