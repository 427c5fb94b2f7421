{#-
    Data tests on an incremental run (docs/performance.md, "Tests on a daily
    run"): a data test on an account-day relation checks only the days this
    build recomputed (date_day >= int_build_plan's recompute_from). The days
    before are byte for byte the rows an earlier build wrote and tested, from
    inputs that have not changed since (else int_build_plan would have moved
    recompute_from back to the change; a changed code version moves it to
    1900-01-01 when built through `health build`). A full build
    (--full-refresh, first build, config change) and var
    incremental_test_all_days true test every day, and so does a test whose
    config has meta incremental_all_days: true (e.g. a row count compared
    with a table that is not filtered).

    health_day_filtered_models(): the account-day relations whose tests are
    filtered, derived from the dbt graph (no hand-written list):
    - every model whose pre-hook is health_incremental_delete, i.e. every
      model that calls health_incremental_config() (the incremental
      account-day models);
    - every model with meta `health_day_filtered: true`: a view (or, on
      Spark, a table) computed day by day from those incremental models,
      int_account_days and the config only (e.g. int_metric_subscores_wide,
      int_component_subscores_weighted, int_health_scores_capped). By the
      point-in-time contract its row for day d is a function of its inputs
      dated on or before d, so its rows before recompute_from are those an
      earlier build tested.
    Returns a list of relation names (aliases); with identifier, only that
    relation's name when it is one of them (a cheaper lookup).
-#}
{% macro health_day_filtered_models(identifier=none) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
        {%- if identifier is not none -%}
            {#- one relation (get_where_subquery): only its model node -#}
            {%- set nodes = nodes | selectattr('alias', 'equalto', identifier) -%}
        {%- endif -%}
        {%- for node in nodes -%}
            {%- set hooks = node.config.get('pre-hook') or node.config.get('pre_hook') or [] -%}
            {%- set hook_sql = hooks | map(attribute='sql') | join(' ') -%}
            {%- if 'health_incremental_delete' in hook_sql
                or (node.config.get('meta') or {}).get('health_day_filtered', false) -%}
                {%- do names.append(node.alias or node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return(names) -%}
{%- endmacro %}

{#-
    health_test_recompute_from(): on an incremental run, the first day this
    build recomputed (int_build_plan.recompute_from, text 'YYYY-MM-DD');
    none on a full build (no incremental plan), when var
    incremental_test_all_days is true, when the calling test's meta has
    incremental_all_days: true, and when not executing.
-#}
{% macro health_test_recompute_from() -%}
    {%- set all_days = var('incremental_test_all_days', false)
        or (config.get('meta') or {}).get('incremental_all_days', false) -%}
    {%- if not execute or all_days -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set plan = adapter.get_relation(
        database=target.get('database'),
        schema=generate_schema_name('intermediate', none) | trim,
        identifier='int_build_plan'
    ) -%}
    {%- if plan is none -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set start = run_query('select max(recompute_from) from ' ~ plan ~ " where mode = 'incremental'").columns[0].values()[0] -%}
    {%- do return(start) -%}
{%- endmacro %}

{#-
    health_test_day_filter(column): for a singular test on an account-day
    relation: `and <column> >= cast('<recompute_from>' as date)` on an
    incremental run, nothing on a full build or when every day is tested
    (health_test_recompute_from). Put it after a `where 1 = 1` (or another
    condition) on the import CTE of that relation; the test must say in a
    comment why the days it skips cannot have broken.
-#}
{% macro health_test_day_filter(column='date_day') -%}
    {%- set start = health_test_recompute_from() -%}
    {%- if start is not none -%}
        and {{ column }} >= cast('{{ start }}' as date)
    {%- endif -%}
{%- endmacro %}

{#-
    get_where_subquery(relation): dbt's hook wrapping the model of every
    generic data test (its `where` config); here also the incremental day
    filter above on the relations of health_day_filtered_models(), and the
    conditions of other layers (health_staging_test_conditions).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if execute and relation.identifier in health_day_filtered_models(relation.identifier) -%}
        {%- set start = health_test_recompute_from() -%}
        {%- if start is not none -%}
            {%- do conditions.append("date_day >= cast('" ~ start ~ "' as date)") -%}
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
