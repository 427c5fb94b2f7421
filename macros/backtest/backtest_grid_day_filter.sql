{#-
    backtest_grid_day_filter(observation_dates, column): a condition true on
    every date of the backtest grid (backtest_observation_dates): `<column>
    >= <its first date> and mod(days since that date, backtest_interval_days)
    = 0`, the first date read from the built table as a literal, so that a
    view computed per account-day (int_metric_subscores_wide) is read at the
    grid dates only: a filter on the column with literals is pushed down to
    the view's scans, a join with the grid is not. Its SQL has the same size
    however many dates the grid has (it replaced a literal list of the
    dates). Exact: every grid date is on it (the grid steps by
    backtest_interval_days from its anchor) and the model that uses it
    inner-joins the grid anyway. With `start` (health_incremental_from: a
    date on an incremental run) only the grid dates from it on: the first
    of those is the literal, and on a day with none (most daily runs) the
    condition is `1 = 0`, so the view is not computed at all. `1 = 0` when
    the grid is empty; `1 = 1`
    when not executing (parsing, linting), in unit tests and while
    observation_dates is not built yet (a `dbt compile` of a fresh
    database).
-#}
{% macro backtest_grid_day_filter(observation_dates, column, start='none') -%}
    {%- set built = none -%}
    {%- if execute is sameas true and model is defined and model.resource_type != 'unit_test' -%}
        {%- set built = adapter.get_relation(
            database=observation_dates.database, schema=observation_dates.schema,
            identifier=observation_dates.identifier
        ) -%}
    {%- endif -%}
    {%- if built is not none -%}
        {%- set first = run_query(
            'select cast(min(observation_date) as ' ~ dbt.type_string() ~ ') from ' ~ observation_dates
            ~ ' where 1 = 1 ' ~ health_incremental_filter('observation_date', start)
        ).columns[0].values()[0] -%}
        {%- if first is not none -%}
            {%- set first_date = "cast('" ~ first ~ "' as date)" -%}
            {{ column }} >= {{ first_date }}
            and mod({{ dbt.datediff(first_date, column, 'day') }}, {{ var('backtest_interval_days') | int }}) = 0
        {%- else -%}
            1 = 0
        {%- endif -%}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
