{#-
    contract_columns(relation): the select list of a contracted model's
    `final` CTE, written once from its yml contract: every contracted column,
    in contract order, cast to its data_type through the cross-database type
    macros (varchar -> dbt.type_string(), double -> type_double(), integer ->
    dbt.type_int(), boolean -> dbt.type_boolean(), date, timestamp), so the
    column list and the types live in the yml only. `relation` (optional) is
    the alias the columns are read from. Where the model has no columns (dbt's
    parse, sqlfluff) it renders `*`.
-#}
{% macro contract_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- set columns = model.columns if model is defined and model.columns is defined else {} -%}
    {%- if columns | length == 0 -%}
        {{ prefix }}*
    {%- else -%}
        {%- for name, column in columns.items() %}
        cast({{ prefix }}{{ name }} as {{ contract_type(column.data_type) }}) as {{ name }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}

{% macro contract_type(data_type) -%}
    {%- set kind = (data_type or '') | lower | trim -%}
    {%- if kind in ['varchar', 'text', 'string'] -%}
        {{ dbt.type_string() }}
    {%- elif kind in ['double', 'double precision', 'float8'] -%}
        {{ type_double() }}
    {%- elif kind in ['integer', 'int', 'int4'] -%}
        {{ dbt.type_int() }}
    {%- elif kind in ['bigint', 'int8'] -%}
        {{ dbt.type_bigint() }}
    {%- elif kind in ['boolean', 'bool'] -%}
        {{ dbt.type_boolean() }}
    {%- elif kind == 'timestamp' -%}
        {{ dbt.type_timestamp() }}
    {%- else -%}
        {{ kind }}
    {%- endif -%}
{%- endmacro %}
