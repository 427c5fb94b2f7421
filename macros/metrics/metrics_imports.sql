{#-
    metrics_imports(sources={}, bounds=true, account_days=true): the import
    CTEs of a daily metrics model, each `name as (select * from ref(model)),`
    (with a trailing comma: the model's logical CTEs follow). Every metrics
    model reads the account spine (spine); `bounds` adds stg_data_bounds,
    `account_days` adds int_account_days, and `sources` maps the model's own
    inputs (CTE name -> model), in order.
-#}
{% macro metrics_imports(sources={}, bounds=true, account_days=true) -%}
    {%- set imports = {} -%}
    {%- if bounds -%}{%- do imports.update({'bounds': 'stg_data_bounds'}) -%}{%- endif -%}
    {%- do imports.update({'spine': 'int_account_spine'}) -%}
    {%- if account_days -%}{%- do imports.update({'account_days': 'int_account_days'}) -%}{%- endif -%}
    {%- do imports.update(sources) -%}
    {%- for name, model in imports.items() %}
    {{ name }} as (select * from {{ ref(model) }}),
    {%- endfor %}
{%- endmacro %}
