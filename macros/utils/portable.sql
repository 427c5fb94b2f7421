{#-
    Portable building blocks (docs/engines.md). Models and unit-test fixtures
    call these instead of engine-specific SQL; each engine's SQL lives in a
    dispatched variant (default__ / duckdb__ / postgres__ / spark__).
-#}

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
    {#- varchar as text: what dbt.type_string() gives, so an incremental model's
        contract columns and its new rows have the same type -#}
    {{- {'double': 'double precision', 'hugeint': 'numeric(38, 0)', 'varchar': 'text'}.get(t, data_type) -}}
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
    {{- adapter.dispatch('health_number_text', 'customer_health')(expression) -}}
{%- endmacro %}

{% macro default__health_number_text(expression) -%}
    cast(cast({{ expression }} as decimal(38, 9)) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
    health_decimal_text(expression, digits): a number as text with `digits`
    fixed decimals ('16.0'), the same on every engine (a double cast to text
    is '16.0' on DuckDB and '16' on Postgres). Snapped to 9 decimals first, so
    binary noise cannot move a half.
-#}
{% macro health_decimal_text(expression, digits) -%}
    {{- adapter.dispatch('health_decimal_text', 'customer_health')(expression, digits) -}}
{%- endmacro %}

{% macro default__health_decimal_text(expression, digits) -%}
    cast(cast(cast({{ expression }} as decimal(38, 9)) as decimal(38, {{ digits }})) as {{ dbt.type_string() }})
{%- endmacro %}

{#-
    health_number_columns(relation): the lower-case names of the relation's
    numeric columns as comma-separated text, read from the database while dbt
    executes (empty while it only parses). Text, not return(), so sqlfluff's
    templater renders it.
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
    {{- names | join(',') -}}
{%- endmacro %}

{#-
    health_analyze(): run as every model's post-hook (dbt_project.yml). On
    Postgres a table that dbt just created has no statistics until autovacuum
    gets to it, so the planner guesses (1 row of stg_data_bounds becomes 560
    and joins turn into nested loops); ANALYZE gives it the real sizes at
    once. Nothing on the other engines (an empty hook is skipped).
-#}
{% macro health_analyze() -%}
    {{- adapter.dispatch('health_analyze', 'customer_health')() -}}
{%- endmacro %}

{% macro default__health_analyze() -%}
{%- endmacro %}

{% macro postgres__health_analyze() -%}
    {%- if config.get('materialized') in ['table', 'incremental'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}

{#-
    health_cte_inline(postgres=true): written after `as` of a CTE that a query
    reads several times (`health_scores as {{ health_cte_inline() }} (`), so
    that each reference scans its input itself: `not materialized` on DuckDB
    and (with postgres true) on Postgres 12+, which both materialise a CTE
    referenced more than once, all its rows and columns held in memory (or
    spilled) before the first reader starts (the whole wide score table for
    the five per-component selects of int_component_subscores_weighted;
    every raw event, all columns, in quarantine_base). Inlined, each reader
    scans only the columns it needs. Spark always inlines: nothing there.
    postgres=false leaves Postgres its own choice (quarantine_base: its plan
    there was not measured with the hint). The opposite of health_cte_fence.
    sqlfluff's stand-in adapter (no `type`) lints the plain CTE.
-#}
{% macro health_cte_inline(postgres=true) -%}
    {%- if adapter.type is defined %}{{ adapter.dispatch('health_cte_inline', 'customer_health')(postgres) }}{% endif -%}
{%- endmacro %}

{% macro default__health_cte_inline(postgres=true) %}{% endmacro %}
{% macro duckdb__health_cte_inline(postgres=true) %}not materialized{% endmacro %}
{% macro postgres__health_cte_inline(postgres=true) %}{% if postgres %}not materialized{% endif %}{% endmacro %}

{#-
    health_cte_fence(): written after `as` of a CTE whose computed columns the
    next CTEs reference several times (`points as {{ health_cte_fence() }} (`).
    Postgres inlines a CTE that is referenced once and then pulls the subquery
    up, substituting each column's expression wherever the outer query names
    it; in a chain of CTEs that each reuse the previous one's columns several
    times (scoring_fixed, scoring_sorts_before) the expression tree grows
    exponentially and planning alone exhausts memory (int_health_scores_wide:
    over 20 GB). `materialized` computes the CTE once, as written. DuckDB and
    Spark plan such chains without copying expressions: nothing there (and
    sqlfluff, whose stand-in target is DuckDB, lints the plain CTE).
-#}
{% macro health_cte_fence() -%}
    {%- if target is defined and target.type != 'duckdb' -%}
        {{- adapter.dispatch('health_cte_fence', 'customer_health')() -}}
    {%- endif -%}
{%- endmacro %}

{% macro default__health_cte_fence() -%}
{%- endmacro %}

{% macro postgres__health_cte_fence() -%}
    materialized
{%- endmacro %}

{#-
    health_divide(numerator, denominator): numerator / denominator in double
    precision, the same on every engine. DuckDB divides two decimals as
    doubles (its `/` casts both); Postgres (and Spark) divide decimals
    exactly, so a quotient that is exactly half a unit in the 9th decimal
    (.25 x .260779634 / 1 = .0651949085) was fixed to ...909 there and to
    ...908 on DuckDB, whose double lies a hair below. Casting both sides
    writes DuckDB's own division out, so DuckDB's results do not change.
-#}
{% macro health_divide(numerator, denominator) -%}
    {#- type_double() through dispatch: sqlfluff's templater loads this file before type_double.sql -#}
    {%- set double = adapter.dispatch('type_double', 'customer_health')() | trim -%}
    cast({{ numerator }} as {{ double }}) / cast({{ denominator }} as {{ double }})
{%- endmacro %}
