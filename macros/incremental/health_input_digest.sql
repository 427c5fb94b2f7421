{#-
    Helpers of int_input_day_digests (docs/performance.md, "Which days a new
    row can change").

    health_incremental_epoch(): the day a row with no date counts on, before
    every day of any data, so a change to such a row recomputes everything.
-#}
{% macro health_incremental_epoch() -%}
    cast('1900-01-01' as date)
{%- endmacro %}

{#-
    health_incremental_earliest_day(columns): the earliest of the columns,
    each cast to a date, ignoring nulls; health_incremental_epoch() when all
    are null. Written as nested cases (least() treats nulls differently
    across engines).
-#}
{% macro health_incremental_earliest_day(columns) -%}
    {%- set ns = namespace(expr='cast(' ~ columns[0] ~ ' as date)') -%}
    {%- for column in columns[1:] -%}
        {%- set day = 'cast(' ~ column ~ ' as date)' -%}
        {%- set ns.expr = 'case when ' ~ day ~ ' is null or ' ~ ns.expr ~ ' <= ' ~ day
            ~ ' then coalesce(' ~ ns.expr ~ ', ' ~ day ~ ') else ' ~ day ~ ' end' -%}
    {%- endfor -%}
    coalesce({{ ns.expr }}, {{ health_incremental_epoch() }})
{%- endmacro %}

{#-
    health_row_columns(relation, fallback_columns): every column of the
    relation, comma-separated (read from the database when the model runs;
    fallback_columns while parsing or linting), for health_surrogate_key.
-#}
{% macro health_row_columns(relation, fallback_columns) -%}
    {%- set columns = fallback_columns -%}
    {%- if execute is sameas true -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- endif -%}
    {{ columns | join(',') }}
{%- endmacro %}

{#-
    health_code_version(): env HEALTH_CODE_VERSION (set by `health build`:
    healthwh.build_plan.code_version, a hash of the models, macros, tests and
    seeds), '' when unset and while linting.
-#}
{% macro health_code_version() -%}
    {%- if execute is sameas true -%}
        {{ env_var('HEALTH_CODE_VERSION', '') }}
    {%- endif -%}
{%- endmacro %}
