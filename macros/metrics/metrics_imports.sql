{#-
    health_imports(imports, incremental=[], day_filter=''): import CTEs, each
    `name as (select * from ref(model)),` (with a trailing comma: the model's
    logical CTEs follow), for `imports` (CTE name -> model, in order). The
    CTEs named in `incremental` also keep only the days an incremental run
    rebuilds: `where 1 = 1 <day_filter>`, day_filter being the model's
    health_incremental_filter('date_day', start). day_filters (CTE name ->
    filter text, optional) gives a CTE its own filter instead.
-#}
{% macro health_imports(imports, incremental=[], day_filter='', day_filters={}) -%}
    {%- for name, model in imports.items() %}
    {{ name }} as (
        select * from {{ ref(model) }}
        {%- if name in day_filters %}
        where 1 = 1 {{ day_filters[name] }}
        {%- elif name in incremental %}
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
    name -> model), in order. read_from (CTE name -> start, optional): on an
    incremental run (start a date, from health_incremental_from or
    health_incremental_shift) that CTE keeps only the days from start on
    (`date_day >= start`); nothing otherwise.
-#}
{% macro metrics_imports(sources={}, bounds=true, account_days=true, read_from={}) -%}
    {%- set imports = {} -%}
    {%- if bounds -%}{%- do imports.update({'bounds': 'stg_data_bounds'}) -%}{%- endif -%}
    {%- do imports.update({'spine': 'int_account_spine'}) -%}
    {%- if account_days -%}{%- do imports.update({'account_days': 'int_account_days'}) -%}{%- endif -%}
    {%- do imports.update(sources) -%}
    {%- set day_filters = {} -%}
    {%- for name, from_day in read_from.items() -%}
        {%- if (from_day | trim) not in ['none', 'all', ''] -%}
            {%- do day_filters.update({name: "and date_day >= cast('" ~ (from_day | trim) ~ "' as date)"}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ health_imports(imports, day_filters=day_filters) }}
{%- endmacro %}

{#-
    metrics_activity_imports(start, read_from, seeds): the import CTEs of a
    metrics model over int_product_activity_daily (usage, value): spine and
    activity from read_from, account days from start (metrics_imports), then
    `seeds`: per account, the `seeds` expressions (`aggregate(...) as name`)
    over the activity rows dated before read_from (none when not
    incremental: metrics_before), the seeds of metrics_running.
-#}
{% macro metrics_activity_imports(start, read_from, seeds) -%}
    {{ health_imports({'activity_history': 'int_product_activity_daily'}) }}
    {{ metrics_imports(
        {'activity': 'int_product_activity_daily'}, bounds=false,
        read_from={'spine': read_from, 'account_days': start, 'activity': read_from}
    ) }}
    seeds as (
        select
            account_id
            {%- for expression in seeds %},
            {{ expression }}
            {%- endfor %}
        from activity_history
        {%- if (read_from | trim) not in ['none', 'all', ''] %}
        where date_day < cast('{{ read_from | trim }}' as date)
        {%- else %}
        where 1 = 0
        {%- endif %}
        group by account_id
    ),
{%- endmacro %}
