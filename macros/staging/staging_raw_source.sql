{#-
    staging_raw_source(source_name, table_name, columns, enabled=true)

    The import CTE of every staging base model. Selects exactly the contract
    columns (extra raw columns are ignored). When the optional source is
    switched off (`enabled` false, from var('enable_<table>')), source() is
    never called (so the disabled source is not a dependency) and the CTE is
    empty with the same column names, as text like an untyped raw load.

    A table that var('raw_locations') points at a CSV file (or glob) is read
    with var('raw_csv_reader') (the sources' external_location): every column
    as text with explicit dialect options, so one odd value (a date written
    13/11/2026, mixed CRLF / LF line endings) can never fail type sniffing: it
    reaches the base model as text and is quarantined there
    (unparseable_value) like any other bad value.
-#}
{% macro staging_raw_source(source_name, table_name, columns, enabled=true) %}
{%- if enabled %}
select
{%- for column in columns %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
from {{ source(source_name, table_name) }}
{%- else %}
select
{%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
{%- endfor %}
where 1 = 0
{%- endif %}
{%- endmacro %}
