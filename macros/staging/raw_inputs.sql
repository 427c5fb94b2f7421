{#-
    The raw-input contract, read from var('raw_inputs') in dbt_project.yml (the
    one home of the nine inputs; scripts/healthwh/raw_contract.py reads the
    same block for Python).
-#}

{#- the contract entry of one raw table, columns as a list of
    {name, type, lower, values} in contract order, plus base_model and
    key_name (the key column, or the surrogate of a composite key) -#}
{% macro raw_input(table_name) %}
{%- set inputs = var('raw_inputs') -%}
{%- if table_name not in inputs -%}
    {{ exceptions.raise_compiler_error("'" ~ table_name ~ "' is not in var('raw_inputs') (dbt_project.yml)") }}
{%- endif -%}
{%- set entry = inputs[table_name] -%}
{%- set columns = [] -%}
{%- for name, spec in entry['columns'].items() -%}
    {%- set spec = spec if spec is mapping else {'type': spec} -%}
    {%- do columns.append({
        'name': name,
        'type': spec['type'],
        'lower': spec.get('lower', false),
        'values': spec.get('values', none),
    }) -%}
{%- endfor -%}
{{ return({
    'name': table_name,
    'source': entry['source'],
    'staging_model': entry['staging_model'],
    'base_model': 'base_' ~ entry['staging_model'][4:],
    'key_name': entry.get('surrogate_key') or entry['key'][0],
    'enabled_by': entry.get('enabled_by'),
    'key': entry['key'],
    'null_key': entry['null_key'],
    'required': entry.get('required') or [],
    'time_column': entry['time_column'],
    'columns': columns,
}) }}
{% endmacro %}

{#- whether an input is switched on (a required table always is) -#}
{% macro raw_input_enabled(table_name) %}
{%- set enabled_by = raw_input(table_name)['enabled_by'] -%}
{{ return(var(enabled_by) if enabled_by else true) }}
{% endmacro %}

{#-
    The relation an input is read from: var('<table>_relation') when set (any
    relation, e.g. "{{ ref('my_events') }}"), else its source (raw_schema, or
    the file var('raw_locations') names). none when the input is switched off,
    so a disabled source is never a dependency. product_events can instead be
    read from a pre-aggregated daily usage table
    (var('product_usage_daily_relation'), docs/method.md).
-#}
{% macro raw_input_relation(table_name) %}
{%- if not raw_input_enabled(table_name) -%}
    {{ return(none) }}
{%- endif -%}
{%- set daily = var('product_usage_daily_relation', none) if table_name == 'product_events' else none -%}
{%- if daily -%}
    {#- a pre-aggregated daily usage table read as one event per (account,
        user, day, event type) row: quantity = its event_count -#}
    {{ return(
        '(select cast(null as ' ~ dbt.type_string() ~ ') as event_id, account_id, user_id, event_type, '
        ~ 'usage_date as occurred_at, event_count as quantity from ' ~ daily ~ ') as product_usage_daily'
    ) }}
{%- endif -%}
{%- set swapped = var(table_name ~ '_relation', none) -%}
{%- if swapped -%}
    {{ return(swapped) }}
{%- endif -%}
{{ return(source(raw_input(table_name)['source'], table_name)) }}
{% endmacro %}

{#-
    raw_input_select(table_name, columns=none): the import CTE of a staging
    model. Selects exactly the contract columns (or the listed ones; extra raw
    columns are ignored). A switched-off input gives an empty select with the
    same column names, as text like an untyped raw load.

    A table that var('raw_locations') points at a CSV file (or glob) is read
    with var('raw_csv_reader'): every column as text with explicit dialect
    options, so one odd value can never fail type sniffing: it reaches the base
    model as text and is quarantined there (unparseable_value).
-#}
{% macro raw_input_select(table_name, columns=none) %}
{%- if return is not defined -%}
{#- sqlfluff's templater (no return(), no other file's macros): a stand-in -#}
select {{ columns | join(', ') }} from lint_raw_source
{%- else -%}
{%- set columns = columns or raw_input(table_name)['columns'] | map(attribute='name') | list -%}
{%- set relation = raw_input_relation(table_name) -%}
{%- if relation is not none %}
select
{%- for column in columns %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
from {{ relation }}
{%- else %}
select
{%- for column in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ column }}{{ "," if not loop.last }}
{%- endfor %}
where 1 = 0
{%- endif %}
{%- endif %}
{%- endmacro %}

{#-
    raw_input_types(table_name): {column: storage type (lower case)} of the
    relation the input is read from, so staging can pass a column through when
    it is already stored as its contract type instead of casting it to text and
    back. {} when unknown (parse time, a unit-test fixture, a switched-off
    input, an engine without introspection): every column then takes the text
    path, which gives the same values, only slower.
-#}
{% macro raw_input_types(table_name) %}
{%- set relation = raw_input_relation(table_name) -%}
{%- if not execute or relation is none or (relation.is_cte is defined and relation.is_cte) -%}
    {{ return({}) }}
{%- endif -%}
{{ return(adapter.dispatch('raw_input_types', 'customer_health')(raw_input_select(table_name))) }}
{% endmacro %}

{% macro default__raw_input_types(select_sql) %}
{{ return({}) }}
{% endmacro %}

{% macro duckdb__raw_input_types(select_sql) %}
{%- set types = {} -%}
{%- for column in get_column_schema_from_query(select_sql) -%}
    {%- do types.update({column.name | lower: column.dtype | lower}) -%}
{%- endfor -%}
{{ return(types) }}
{% endmacro %}

{% macro postgres__raw_input_types(select_sql) %}
{{ return(duckdb__raw_input_types(select_sql)) }}
{% endmacro %}

{#-
    raw_type_passes(storage_type, contract_type): true when a column stored as
    storage_type already holds contract_type values, so no text round trip is
    needed. decimal/numeric -> double counts: the conversion is correctly
    rounded, the same double as parsing the decimal's text.
-#}
{% macro raw_type_passes(storage_type, contract_type) %}
{%- set t = (storage_type or '') | lower | trim -%}
{%- set groups = {
    'timestamp': ['timestamp', 'timestamp without time zone', 'datetime', 'timestamp_ntz'],
    'date': ['date'],
    'double': ['double', 'double precision', 'float8', 'float64'],
    'int': ['integer', 'int', 'int4', 'int32'],
    'boolean': ['boolean', 'bool'],
} -%}
{%- if contract_type == 'double' and (t.startswith('decimal') or t.startswith('numeric')) -%}
    {{ return(true) }}
{%- endif -%}
{{ return(t in groups.get(contract_type, [])) }}
{% endmacro %}

{#- the SQL type of a contract type -#}
{% macro raw_contract_sql_type(contract_type) %}
{%- set types = {
    'text': dbt.type_string(),
    'timestamp': dbt.type_timestamp(),
    'date': 'date',
    'double': type_double(),
    'int': dbt.type_int(),
    'boolean': dbt.type_boolean(),
} -%}
{{ return(types[contract_type]) }}
{% endmacro %}

{#-
    raw_input_value(table_name, column_name): a raw column as its contract
    type, null when it does not parse: the column itself when it is stored as
    that type already, else its trimmed text try-cast (the same value, slower).
-#}
{% macro raw_input_value(table_name, column_name) %}
{%- if return is not defined -%}{{ column_name }}{%- else -%}
{%- set contract_type = (raw_input(table_name)['columns'] | selectattr('name', 'equalto', column_name) | first)['type'] -%}
{%- set stored = raw_input_types(table_name).get(column_name) -%}
{%- if raw_type_passes(stored, contract_type) and contract_type != 'double' -%}
    {{ return(column_name) }}
{%- endif -%}
{{ return(try_cast(clean_text(column_name), raw_contract_sql_type(contract_type))) }}
{%- endif -%}
{% endmacro %}
