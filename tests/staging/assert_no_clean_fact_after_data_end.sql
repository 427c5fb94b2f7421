-- Business rule (SPEC §1 "Bad input", contracts.md): a fact stamped after the
-- last day of data is "in the future of the data" and must be quarantined,
-- never reach a clean model. (Subscription end_date is a contract term and
-- may lie after the data; its start_date may not.) Returns offending rows.
with

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

facts as (
{%- for table_name in var('raw_inputs') %}
    {%- set spec = raw_input(table_name) %}
    {{ "union all" if not loop.first }}
    select
        '{{ table_name }}' as source_table,
        {{ spec['key_name'] }} as record_key,
        cast({{ spec['time_column'] }} as date) as fact_date
    from {{ ref(spec['staging_model']) }}
{%- endfor %}
)

select facts.*
from facts
cross join bounds
where facts.fact_date > bounds.data_end_date
