{#-
    staging_raw_source(source_name, table_name, columns, enabled=true)

    The import CTE of every staging base model. Selects exactly the contract
    columns (extra raw columns are ignored). When the optional source is
    switched off (`enabled` false, from var('enable_<table>')), source() is
    never called (so the disabled source is not a dependency) and the CTE is
    empty with the same column names, as text like an untyped raw load.
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
