{#-
    staging_raw_source(source_name, table_name, columns, enabled=true)

    The import CTE of every staging base model. Selects exactly the contract
    columns (extra raw columns are ignored). When the optional source is
    switched off (`enabled` false, from var('enable_<table>')), source() is
    never called (so the disabled source is not a dependency) and the CTE is
    empty with the same column names, as text like an untyped raw load.

    A table that var('raw_locations') points at a CSV file (or glob) is read
    with staging_read_location(): every column as text with explicit dialect
    options, so one odd value (a date written 13/11/2026, mixed CRLF / LF line
    endings) can never fail type sniffing: it reaches the base model as text
    and is quarantined there (unparseable_value) like any other bad value.
-#}
{% macro staging_raw_source(source_name, table_name, columns, enabled=true) %}
{%- if enabled %}
select
{%- for column in columns %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
from {{ staging_read_location(source(source_name, table_name)) }}
{%- else %}
select
{%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
{%- endfor %}
where 1 = 0
{%- endif %}
{%- endmacro %}

{#-
    staging_read_location(relation): how a source relation is read. On DuckDB
    a source with an external_location (var('raw_locations')) renders as the
    quoted path; a CSV path becomes read_csv(all text, explicit options). A
    parquet path, a function call the user wrote (read_csv(...) with their own
    options) and every ordinary table are read as they are. In unit tests the
    source is a fixture CTE without external location, so the files are
    never touched.
-#}
{% macro staging_read_location(relation) -%}
    {{ adapter.dispatch('staging_read_location', 'customer_health')(relation) }}
{%- endmacro %}

{% macro default__staging_read_location(relation) -%}
    {{ relation }}
{%- endmacro %}

{% macro duckdb__staging_read_location(relation) -%}
{%- set external = relation.external if relation.external is defined else none -%}
{%- set path = (external or '') | string | trim -%}
{%- if external
    and path.startswith("'") and path.endswith("'")
    and modules.re.search('[.](csv|tsv|txt)([.](gz|zst))?$', path[1:-1], modules.re.IGNORECASE) -%}
read_csv(
        {{ path }},
        all_varchar = true,
        header = true,
        delim = '{{ "\t" if modules.re.search("[.]tsv", path, modules.re.IGNORECASE) else "," }}',
        quote = '"',
        escape = '"',
        strict_mode = false,
        null_padding = true,
        union_by_name = true
    )
{%- else -%}
    {{ relation }}
{%- endif -%}
{%- endmacro %}
