-- One row per health component (seeds/health_components.csv) with its
-- recovery playbook (seeds/health_playbooks.csv): the component lookup the
-- marts, their tests and the backtest share instead of reading staging.
with

components as (
    select * from {{ ref('stg_config__health_components') }}
),

playbooks as (
    select * from {{ ref('stg_config__health_playbooks') }}
),

final as (
    select
        cast(components.component as {{ dbt.type_string() }}) as component,
        cast(components.display_order as {{ dbt.type_int() }}) as display_order,
        cast(components.wide_column as {{ dbt.type_boolean() }}) as wide_column,
        cast(components.description as {{ dbt.type_string() }}) as description,
        cast(playbooks.playbook as {{ dbt.type_string() }}) as playbook,
        cast(playbooks.owner_role as {{ dbt.type_string() }}) as owner_role
    from components
    left join playbooks
        on components.component = playbooks.component
)

select * from final
