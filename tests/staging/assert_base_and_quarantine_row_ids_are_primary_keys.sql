-- Rule (issue 11, SPEC §1 "Bad input"): every raw row has one identity
-- through staging. row_id is the primary key of each base model (every raw
-- row of its input, null keys and duplicate copies included) and of
-- stg_quarantine (the rejected rows of all inputs): never null, never
-- repeated. Returns one row per offending row id.
-- On an incremental staging plan the product events are checked on the keys
-- restaged by this build only (staging_restaged_filter): a row id holds its
-- key, every other row is one an earlier build wrote and checked, and whole
-- keys are restaged, so a restaged row id can never equal an untouched one.
-- Each relation is grouped on its own (an aggregate per union branch, not
-- one over the union keyed by model name): the product events' aggregate is
-- then the largest one alone, which DuckDB spills within a 2.5GB limit on
-- 143 M events, where the single aggregate over (model_name, row_id) of all
-- relations ran out of memory (docs/perf-notes/stg2.md).
with

{% for table_name in var('raw_inputs') -%}
{%- set base_model = raw_input(table_name)['base_model'] -%}
{{ base_model }}_duplicates as (
    select
        '{{ base_model }}' as model_name,
        row_id,
        count(*) as copies
    from {{ ref(base_model) }}
    {%- if table_name == 'product_events' %}
    where 1 = 1 {{ staging_restaged_filter('event_id') }}
    {%- endif %}
    group by row_id
    having count(*) > 1 or row_id is null
),

{% endfor -%}
stg_quarantine_duplicates as (
    select
        'stg_quarantine' as model_name,
        row_id,
        count(*) as copies
    from {{ ref('stg_quarantine') }}
    where source_table <> 'product_events' or (1 = 1 {{ staging_restaged_filter('record_key') }})
    group by row_id
    having count(*) > 1 or row_id is null
),

final as (
{%- for table_name in var('raw_inputs') %}
    {{ "union all" if not loop.first }}
    select * from {{ raw_input(table_name)['base_model'] }}_duplicates
{%- endfor %}
    union all
    select * from stg_quarantine_duplicates
)

select * from final
