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
    relation's name when it is one of them. The graph does not change during
    an invocation, so the list is derived once per invocation
    (health_invocation_cache) and every generic test looks its relation up in it.
-#}
{% macro health_day_filtered_models(identifier=none) -%}
    {%- set cache = health_invocation_cache() -%}
    {%- if execute and 'day_filtered_models' not in cache -%}
        {%- do cache.update({'day_filtered_models': health_day_filtered_models_from_graph()}) -%}
    {%- endif -%}
    {%- set names = cache.get('day_filtered_models', []) -%}
    {%- if identifier is not none -%}
        {%- do return([identifier] if identifier in names else []) -%}
    {%- endif -%}
    {%- do return(names) -%}
{%- endmacro %}

{#-
    health_invocation_cache(): a dict shared by every node of this dbt
    invocation (kept in the graph context object, which dbt builds once per
    invocation and hands to every node; a new invocation has a new graph, so
    nothing outlives it). Only for values that cannot change during the
    invocation: the graph's own facts, and the build plan once it is built
    (health_test_recompute_from says why).
-#}
{% macro health_invocation_cache() -%}
    {%- if not execute or graph is not mapping -%}
        {%- do return({}) -%}
    {%- endif -%}
    {%- if '__health_invocation_cache' not in graph -%}
        {%- do graph.update({'__health_invocation_cache': {}}) -%}
    {%- endif -%}
    {%- do return(graph['__health_invocation_cache']) -%}
{%- endmacro %}

{% macro health_day_filtered_models_from_graph() -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') -%}
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
    One query per invocation, not per test (health_invocation_cache): every
    caller tests a relation downstream of int_build_plan (the incremental
    models ref it, the flagged views read them; tests_python/test_daily_skip.py
    checks it from the graph), so it runs after this invocation built the plan,
    or, when a selection leaves the plan out, reads the plan nobody rewrites
    during the invocation: the first value read is the value of every later read.
-#}
{% macro health_test_recompute_from() -%}
    {%- set all_days = var('incremental_test_all_days', false)
        or (config.get('meta') or {}).get('incremental_all_days', false) -%}
    {%- if not execute or all_days -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set cache = health_invocation_cache() -%}
    {%- if 'recompute_from' in cache -%}
        {%- do return(cache['recompute_from']) -%}
    {%- endif -%}
    {%- set plan = adapter.get_relation(
        database=target.get('database'),
        schema=generate_schema_name('intermediate', none) | trim,
        identifier='int_build_plan'
    ) -%}
    {%- set start = none -%}
    {%- if plan is not none -%}
        {%- set start = run_query('select max(recompute_from) from ' ~ plan ~ " where mode = 'incremental'").columns[0].values()[0] -%}
    {%- endif -%}
    {%- do cache.update({'recompute_from': start}) -%}
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
