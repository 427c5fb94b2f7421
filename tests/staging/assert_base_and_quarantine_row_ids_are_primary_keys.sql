-- Rule (issue 11, SPEC §1 "Bad input"): every raw row has one identity
-- through staging. row_id is the primary key of each base model (every raw
-- row of its input, null keys and duplicate copies included) and of
-- stg_quarantine (the rejected rows of all inputs): never null, never
-- repeated. Returns one row per offending row id.
-- On an incremental staging plan the product events are checked on the keys
-- restaged by this build only (staging_restaged_filter): a row id holds its
-- key, every other row is one an earlier build wrote and checked, and whole
-- keys are restaged, so a restaged row id can never equal an untouched one.
-- The duplicate search itself is staging_duplicate_row_ids (DuckDB: a
-- group by a 64-bit hash of the id, then the exact ids of the colliding
-- hashes only, so it fits a small memory limit on every product event).
with

row_ids as {{ health_cte_inline() }} (
{%- for table_name in var('raw_inputs') %}
    {{ "union all" if not loop.first }}
    select
        '{{ raw_input(table_name)["base_model"] }}' as model_name,
        row_id
    from {{ ref(raw_input(table_name)['base_model']) }}
    {%- if table_name == 'product_events' %}
    where 1 = 1 {{ staging_restaged_filter('event_id') }}
    {%- endif %}
{%- endfor %}
    union all
    select
        'stg_quarantine' as model_name,
        row_id
    from {{ ref('stg_quarantine') }}
    where source_table <> 'product_events' or (1 = 1 {{ staging_restaged_filter('record_key') }})
),

final as (
    {{ staging_duplicate_row_ids('row_ids') }}
)

select * from final
