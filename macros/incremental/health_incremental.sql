{#-
    Daily incremental builds of the account-day models (docs/performance.md,
    "Which days a new row can change").

    The recompute window is data-driven (int_build_plan): an incremental run
    recomputes from the earliest of
    - the day after the last day already scored (new days), and
    - the earliest day on which an input of these models differs from what
      the previous build read (int_input_day_digests: a new, late, changed or
      removed row, dated by the earliest of its timestamps).
    Why that is exact: by the point-in-time contract (SPEC §3, enforced by
    tests_python/test_point_in_time.py and test_exactness.py) an account-day
    d is a function of the facts dated on or before d, of the config
    (config_version: a change rebuilds everything) and of nothing later; the
    models' windows all look back (rows between N preceding, running sums,
    lag; percentile thresholds from earlier days; band history from the
    previous row). So if no input dated before day c differs, no row before
    c can differ, and recomputing the days from c reproduces a full refresh.

    health_incremental_lookback_days(): an extra safety margin, as text: var
    incremental_lookback_days (default 0 days) moved before that day. Var
    incremental_detect_changes (default true) false ignores the digests
    (only for the test that shows a too short window is caught).
-#}
{% macro health_incremental_lookback_days() -%}
    {{ var('incremental_lookback_days', 0) | int }}
{%- endmacro %}

{#-
    health_incremental_strategy(): the incremental strategy of the account-day
    models. Default (DuckDB, Postgres): append, after the pre-hook
    health_incremental_delete has removed the days being recomputed. Spark:
    insert_overwrite (partitions by date_day replace the recomputed days).
-#}
{% macro health_incremental_strategy() -%}
    {{ adapter.dispatch('health_incremental_strategy', 'customer_health')() }}
{%- endmacro %}

{% macro default__health_incremental_strategy() -%}
    append
{%- endmacro %}

{% macro spark__health_incremental_strategy() -%}
    insert_overwrite
{%- endmacro %}

{#-
    health_incremental_from(plan): text telling what this run recomputes
    (text, not `return`, so the sqlfluff templater can render it):
    - a date 'YYYY-MM-DD' on an incremental run: int_build_plan's
      recompute_from, moved earlier to the day after this model's own last
      day if that lags behind (a partial dbt run);
    - 'all' on an incremental run whose plan is a full rebuild (config
      changed) or of a model with no rows: every day;
    - 'none' when the run is not incremental (first build, --full-refresh,
      parsing, linting): dbt builds the table from scratch.
    Read it with `| trim`.
-#}
{% macro health_incremental_from(plan) -%}
    {%- if execute is sameas true and this is not none and is_incremental() -%}
        {%- set query -%}
            select cast(
                case
                    when max(plan.mode) = 'incremental' and max(built.last_day) is not null
                        then case
                            when max(built.last_day) < max(plan.recompute_from)
                                then {{ metrics_add_days('max(built.last_day)', 1) }}
                            else max(plan.recompute_from)
                        end
                end
                as {{ dbt.type_string() }}
            ) as recompute_from
            from {{ plan }} as plan
            cross join (select max(date_day) as last_day from {{ this }}) as built
        {%- endset -%}
        {%- set value = run_query(query).columns[0].values()[0] -%}
        {{ value if value is not none else 'all' }}
    {%- else -%}
        none
    {%- endif -%}
{%- endmacro %}

{#-
    health_incremental_filter(column, start): `and <column> >= <start>` when
    start (from health_incremental_from) is a date, else nothing.
-#}
{% macro health_incremental_filter(column, start) -%}
    {%- if (start | trim) not in ['none', 'all', ''] -%}
        and {{ column }} >= cast('{{ start | trim }}' as date)
    {%- endif -%}
{%- endmacro %}

{#-
    health_incremental_delete(plan): the pre-hook of an incremental
    account-day model: on an incremental run, delete the days about to be
    recomputed (all of them when the plan is a full rebuild), so that the
    append that follows leaves exactly the rows of a full refresh. Nothing
    otherwise (Spark overwrites partitions instead).
-#}
{% macro health_incremental_delete(plan, start=none) -%}
    {#- start: the model's own recompute day when it has one (health_alert_start), else the plan's -#}
    {%- set start = (start if start is not none else health_incremental_from(plan)) | trim -%}
    {%- if start != 'none' and adapter.dispatch('health_incremental_deletes', 'customer_health')() | trim == 'true' -%}
        delete from {{ this }} where 1 = 1 {{ health_incremental_filter('date_day', start) }}
    {%- endif -%}
{%- endmacro %}

{#-
    health_incremental_config(): the config of an incremental account-day
    model (one call instead of the same five settings in every model):
    incremental with health_incremental_strategy(), the pre-hook health_incremental_delete of the days int_build_plan
    recomputes (pre_hook: another one, e.g. health_incremental_delete with the
    model's own start). The model keeps only the rows from
    health_incremental_from(ref('int_build_plan')) on
    (health_incremental_filter), reading upstream rows only as far back as
    its windows reach and seeding running values from earlier facts or its
    stored rows (docs/perf-notes/met.md), so a recomputed day equals a full
    refresh.
    Read by the upstream account-day models (int_product_activity_daily,
    int_*_metrics_daily, int_account_metrics_daily); int_account_days and
    int_account_spine stay tables (int_build_plan reads int_account_days).
    On Spark the models are plain tables unless var spark_incremental is true
    (then incremental, insert_overwrite of date_day partitions): one partition
    a day made thousands of small files and metastore rows even on the tiny
    sample, so every read of them cost tens of seconds (docs/engines-spark.md).
-#}
{% macro health_incremental_config(pre_hook=none) -%}
    {{ config(
        materialized=adapter.dispatch('health_incremental_materialization', 'customer_health')() | trim,
        incremental_strategy=health_incremental_strategy() | trim,
        partition_by=adapter.dispatch('health_incremental_partition_by', 'customer_health')(),
        on_schema_change='append_new_columns',
        pre_hook=pre_hook or "{{ health_incremental_delete(ref('int_build_plan')) }}"
    ) }}
{%- endmacro %}

{#-
    health_incremental_shift(start, days): start (from health_incremental_from)
    moved by `days` days when it is a date, else start unchanged ('all',
    'none'): the first input day a model must read to recompute the days from
    start, for a window reaching `-days` days back (e.g. -28).
-#}
{% macro health_incremental_shift(start, days) -%}
    {%- set value = start | trim -%}
    {%- if value not in ['none', 'all', ''] -%}
        {{ (modules.datetime.date.fromisoformat(value) + modules.datetime.timedelta(days=days | int)).isoformat() }}
    {%- else -%}
        {{ value }}
    {%- endif -%}
{%- endmacro %}

{#-
    health_alert_rule(): the alert vars as one text, stored on every row of
    int_health_alert_states and int_health_alerts (alert_rule). The vars are
    not part of config_version, and the stored rows depend on them (the
    band confirmation state, the detail text), so a run whose rule differs
    from the stored one recomputes every day (health_alert_start).
-#}
{% macro health_alert_rule() -%}
    {{- 'hold=' ~ (var('alert_band_hold_days', 3) | int)
        ~ ';margin=' ~ var('alert_band_margin_points', 5)
        ~ ';fast_decline=' ~ var('alert_fast_decline_28d_points', -15) -}}
{%- endmacro %}

{#-
    health_alert_start(plan): health_incremental_from(plan), or 'all' on an
    incremental run when the stored rows were built with another
    health_alert_rule() (then the pre-hook deletes every row and the model
    recomputes all days, as a full refresh would). Text, read with `| trim`.
-#}
{% macro health_alert_start(plan) -%}
    {%- set start = health_incremental_from(plan) | trim -%}
    {%- if start not in ['none', 'all', ''] -%}
        {%- set query -%}
            select count(*) as n_other
            from {{ this }}
            where alert_rule is null or alert_rule <> '{{ health_alert_rule() }}'
        {%- endset -%}
        {%- set n_other = run_query(query).columns[0].values()[0] -%}
        {{ 'all' if n_other | int > 0 else start }}
    {%- else -%}
        {{ start }}
    {%- endif -%}
{%- endmacro %}

{#-
    health_alert_incremental_config(): health_incremental_config() of the
    alert models (int_health_alert_states, int_health_alerts), whose
    pre-hook deletes from health_alert_start (every day when the alert vars
    changed) instead of the plan's day.
-#}
{% macro health_alert_incremental_config() -%}
    {{ health_incremental_config(
        pre_hook="{{ health_incremental_delete(ref('int_build_plan'), health_alert_start(ref('int_build_plan'))) }}"
    ) }}
{%- endmacro %}

{#-
    health_last_stored_before(start, columns): the select of each account's
    last stored row of {{ this }} dated before `start` (a date, from
    health_incremental_from), with the listed columns: the `carried` state an
    incremental run of fct_account_health_daily or int_health_alert_states
    continues from. Only on an incremental run (start a date).
-#}
{% macro health_last_stored_before(start, columns) -%}
    select
        {%- for column in columns %}
        stored.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ this }} as stored
    inner join (
        select
            account_id,
            max(date_day) as date_day
        from {{ this }}
        where date_day < cast('{{ start }}' as date)
        group by account_id
    ) as last_stored
        on
            stored.account_id = last_stored.account_id
            and stored.date_day = last_stored.date_day
{%- endmacro %}
