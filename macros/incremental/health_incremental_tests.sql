{#-
    Data tests on an incremental run (docs/performance.md, "Tests on a daily
    run"): a generic data test on an incremental account-day model checks
    only the days this build recomputed (date_day >= int_build_plan's
    recompute_from). The days before are byte for byte the rows an earlier
    build wrote and tested, from inputs that have not changed since (else
    int_build_plan would have moved recompute_from back to the change). A
    full build (--full-refresh, first build, config change) and var
    incremental_test_all_days true test every day, and so does a test whose
    config has meta incremental_all_days: true (e.g. a row count compared
    with a table that is not filtered).

    health_incremental_models(): the incremental account-day models, comma-separated.
-#}
{% macro health_incremental_models() -%}
    int_product_activity_daily,int_usage_metrics_daily,int_value_metrics_daily,int_billing_metrics_daily,
    int_support_metrics_daily,int_sentiment_metrics_daily,int_account_metrics_daily,int_health_scores_wide,
    fct_account_health_components,fct_account_health_daily
{%- endmacro %}

{#-
    get_where_subquery(relation): dbt's hook wrapping the model of every
    generic data test (its `where` config); here also the incremental day
    filter above.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set models = health_incremental_models().split(',') | map('trim') | list -%}
    {%- set all_days = var('incremental_test_all_days', false)
        or (config.get('meta') or {}).get('incremental_all_days', false) -%}
    {%- if execute and relation.identifier in models and not all_days -%}
        {%- set plan = adapter.get_relation(
            database=relation.database,
            schema=generate_schema_name('intermediate', none) | trim,
            identifier='int_build_plan'
        ) -%}
        {%- if plan is not none -%}
            {%- set start = run_query('select max(recompute_from) from ' ~ plan ~ " where mode = 'incremental'").columns[0].values()[0] -%}
            {%- if start is not none -%}
                {%- do conditions.append("date_day >= cast('" ~ start ~ "' as date)") -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {#- extra conditions of other layers (e.g. staging rows restaged by this build) -#}
    {%- do conditions.extend(health_staging_test_conditions(relation)) -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
