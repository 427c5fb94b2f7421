-- depends_on: {{ ref('stg_config__validation') }}
-- The health components (seeds/health_components.csv), the one list every
-- model, test and analysis takes them from: component lower-cased and
-- trimmed, in display order. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_components') }}
),

final as (
    select
        component,
        cast(display_order as {{ dbt.type_int() }}) as display_order,
        wide_column,
        description
    from seed_rows
)

select * from final
