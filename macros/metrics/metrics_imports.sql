{#-
    health_imports(imports, incremental=[], day_filter=''): import CTEs, each
    `name as (select * from ref(model)),` (with a trailing comma: the model's
    logical CTEs follow), for `imports` (CTE name -> model, in order). The
    CTEs named in `incremental` also keep only the days an incremental run
    rebuilds: `where 1 = 1 <day_filter>`, day_filter being the model's
    health_incremental_filter('date_day', start).
-#}
{% macro health_imports(imports, incremental=[], day_filter='') -%}
    {%- for name, model in imports.items() %}
    {{ name }} as (
        select * from {{ ref(model) }}
        {%- if name in incremental %}
        where 1 = 1 {{ day_filter }}
        {%- endif %}
    ),
    {%- endfor %}
{%- endmacro %}

{#-
    metrics_imports(sources={}, bounds=true, account_days=true): the import
    CTEs of a daily metrics model (health_imports). Every metrics model reads
    the account spine (spine); `bounds` adds stg_data_bounds, `account_days`
    adds int_account_days, and `sources` maps the model's own inputs (CTE
    name -> model), in order.
-#}
{% macro metrics_imports(sources={}, bounds=true, account_days=true) -%}
    {%- set imports = {} -%}
    {%- if bounds -%}{%- do imports.update({'bounds': 'stg_data_bounds'}) -%}{%- endif -%}
    {%- do imports.update({'spine': 'int_account_spine'}) -%}
    {%- if account_days -%}{%- do imports.update({'account_days': 'int_account_days'}) -%}{%- endif -%}
    {%- do imports.update(sources) -%}
    {{ health_imports(imports) }}
{%- endmacro %}
