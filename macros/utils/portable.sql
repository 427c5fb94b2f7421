{#-
    Portable building blocks (docs/engines.md). Models and unit-test fixtures
    call these instead of engine-specific SQL; each engine's SQL lives in a
    dispatched variant (default__ / duckdb__ / postgres__ / spark__).
-#}

{#-
    health_round(expression, digits): expression rounded half away from zero
    to `digits` decimals, as a double. The value is fixed to 9 decimals first
    (decimal(38, 9)), so a score that is 72.345 in decimal rounds to 72.35 on
    every engine, whether its binary double is a hair below or above (sums of
    doubles differ in the last bit by summation order), and Postgres, which has
    no round(double precision, integer), gets round(numeric, integer).
-#}
{% macro health_round(expression, digits) -%}
    {{ adapter.dispatch('health_round', 'customer_health')(expression, digits) }}
{%- endmacro %}

{% macro default__health_round(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(38, 9)), {{ digits }}) as {{ type_double() }})
{%- endmacro %}

{#-
    health_int_series(n): a parenthesised subquery of the integers
    i = 0 .. n - 1 in plain SQL (cross join of decimal digits), for unit-test
    fixtures that need many rows (DuckDB's range() is not portable).
-#}
{% macro health_int_series(n) -%}
{%- set n = n | int -%}
{%- set digits = ((n - 1) | string | length) if n > 1 else 1 -%}
(
    select digit_offsets.day_offset as i
    from ({{ metrics_day_offsets(digits) }}) as digit_offsets
    where digit_offsets.day_offset < {{ n }}
)
{%- endmacro %}

{#-
    health_date_series(start_date, end_date): a parenthesised subquery of the
    dates d from start_date up to but excluding end_date (ISO text, like
    DuckDB's range(date, date, interval 1 day)), in portable SQL.
-#}
{% macro health_date_series(start_date, end_date) -%}
{%- set first = modules.datetime.date.fromisoformat(start_date) -%}
{%- set n = (modules.datetime.date.fromisoformat(end_date) - first).days -%}
(
    select {{ metrics_add_days("cast('" ~ start_date ~ "' as date)", 'day_numbers.i') }} as d
    from {{ health_int_series(n) }} as day_numbers
)
{%- endmacro %}

{#-
    portable_type_name(data_type): the engine's name for a contract data type
    written the DuckDB way (`double`, `varchar`, ...). dbt checks a contract by
    casting null to each declared data_type; the project's cast for such an
    engine (postgres__cast below) translates the name first, so one contract
    serves every engine.
-#}
{% macro portable_type_name(data_type) -%}
    {{- adapter.dispatch('portable_type_name', 'customer_health')(data_type) -}}
{%- endmacro %}

{% macro default__portable_type_name(data_type) -%}
    {{- data_type -}}
{%- endmacro %}

{% macro postgres__portable_type_name(data_type) -%}
    {%- set t = data_type | string | trim | lower -%}
    {{- {'double': 'double precision', 'hugeint': 'numeric(38, 0)'}.get(t, data_type) -}}
{%- endmacro %}

{#-
    dbt's cast (namespace dbt, found first in this project through the
    `dispatch` search order of dbt_project.yml) for Postgres: the contract's
    type names go through portable_type_name.
-#}
{% macro postgres__cast(field, type) -%}
    cast({{ field }} as {{ portable_type_name(type) }})
{%- endmacro %}

{#-
    dbt's column list of a contracted table for Postgres (CREATE TABLE with
    the contract's columns): the same as dbt's own, with the type names
    through portable_type_name.
-#}
{% macro postgres__get_table_columns_and_constraints() -%}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- set translated = dict(column) -%}
        {%- if column.get('data_type') -%}
            {%- do translated.update({'data_type': portable_type_name(column['data_type']) | trim}) -%}
        {%- endif -%}
        {%- do columns.update({name: translated}) -%}
    {%- endfor -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    (
    {% for c in raw_column_constraints -%}
      {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}

{#-
    health_number_text(expression): a number as canonical text, the same on
    every engine: fixed to 9 decimals ('0.300000000', '-2.000000000'), where a
    plain cast to text prints 1.0 as '1.0' on DuckDB and '1' on Postgres.
    For hashing content (int_config_version).
-#}
{% macro health_number_text(expression) -%}
    cast(cast({{ expression }} as decimal(38, 9)) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
    health_number_columns(relation): the lower-case names of the relation's
    numeric columns, read from the database while dbt executes (an empty list
    while it only parses).
-#}
{% macro health_number_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {#- Spark names its 4-byte integer `int`, which dbt's is_number() misses -#}
            {%- if column.is_number() or (column.dtype | lower) in ['int', 'tinyint', 'short', 'long'] -%}
                {%- do names.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(names) -}}
{%- endmacro %}
