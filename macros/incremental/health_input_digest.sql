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

{#-
    health_day_digest(columns): one day's digest of the rows of an input, as
    text: the row count and an order-independent aggregate of a 64-bit hash
    of every column (no sort, no string concatenation: a pass over the
    events costs a fraction of md5 + listagg). Engine-specific hash
    functions, so dispatched; the default hashes the concatenated text
    (health_surrogate_key) and joins the sorted hashes.
-#}
{% macro health_day_digest(columns) -%}
    {{ adapter.dispatch('health_day_digest', 'customer_health')(columns) }}
{%- endmacro %}

{% macro default__health_day_digest(columns) -%}
    {{ dbt.hash(dbt.listagg(health_surrogate_key(columns), "','", 'order by ' ~ health_surrogate_key(columns))) }}
{%- endmacro %}

{% macro duckdb__health_day_digest(columns) -%}
    cast(sum(cast(hash({{ columns | join(', ') }}) as hugeint)) as {{ dbt.type_string() }})
    || '/' || cast(bit_xor(hash({{ columns | join(', ') }})) as {{ dbt.type_string() }})
{%- endmacro %}
