-- Business rule (SPEC §1 "Bad input"): staging never silently drops or keeps
-- a raw row. For every raw table (var('raw_inputs')): raw rows = clean rows +
-- quarantined rows.
-- Returns one row per table where the counts do not add up.
with

quarantine as (
    select
        source_table,
        count(*) as n_rows
    from {{ ref('stg_quarantine') }}
    group by source_table
),

counts as (
{%- for table_name in var('raw_inputs') %}
    {{ "union all" if not loop.first }}
    {{ reconciliation_counts(table_name, raw_input(table_name)['staging_model']) }}
{%- endfor %}
),

final as (
    select
        counts.source_table,
        counts.raw_rows,
        counts.clean_rows,
        coalesce(quarantine.n_rows, 0) as quarantined_rows
    from counts
    left join quarantine
        on counts.source_table = quarantine.source_table
    where counts.raw_rows != counts.clean_rows + coalesce(quarantine.n_rows, 0)
)

select * from final
