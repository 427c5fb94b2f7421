{#-
    backtest_observation_day_filter(observations, column): a condition
    `<column> in (<the distinct observation_date of observations, as date
    literals>)` (`1 = 0` when there are none), so that a view computed per
    account-day (int_metric_subscores_wide) is read at the backtest's
    observation dates only: a literal list is pushed down to the view's
    scans, a join with the observations is not. Exact: the model that uses
    it inner-joins those observations on the date anyway. `1 = 1` when not
    executing (parsing, linting), in unit tests (their fixture rows are
    not the built table's) and while observations is not built yet (a
    `dbt compile` of a fresh database).
-#}
{% macro backtest_observation_day_filter(observations, column) -%}
    {%- set built = none -%}
    {%- if execute is sameas true and model is defined and model.resource_type != 'unit_test' -%}
        {%- set built = adapter.get_relation(
            database=observations.database, schema=observations.schema, identifier=observations.identifier
        ) -%}
    {%- endif -%}
    {%- if built is not none -%}
        {%- set dates = run_query(
            'select distinct cast(observation_date as ' ~ dbt.type_string() ~ ') from ' ~ observations ~ ' order by 1'
        ).columns[0].values() -%}
        {%- if dates | length > 0 -%}
            {{ column }} in ({% for d in dates %}cast('{{ d }}' as date){{ ", " if not loop.last }}{% endfor %})
        {%- else -%}
            1 = 0
        {%- endif -%}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
