{#-
    Incremental metric windows (docs/perf-notes/met.md). On an incremental
    run recomputing the days from `start` (health_incremental_from), a
    metrics model reads its account-day sized inputs (int_account_spine,
    int_product_activity_daily) only from `read_from` = start - the reach of
    its longest bounded window (health_incremental_shift(start, -reach):
    `rows between reach preceding`, lag(x, reach)), and continues its
    unbounded running values from seeds, so every row from start on equals a
    full refresh:
    - running sums and maxima over the spine (open counts as sums of +1/-1
      deltas, latest fact dates): seeded with the same aggregate of the
      model's (small, or daily) facts dated before read_from (metrics_before):
      every fact of an account that has a day from start on lies on its
      contiguous spine (the spine starts at its first fact at the latest and
      ends after its last customer day), so the facts before read_from are
      exactly the spine rows the shortened window no longer sees;
    - "... since the renewal window opened": the window is a run of
      consecutive customer days, so when it opened before start it holds
      start - 1, and the value is the model's own stored value of start - 1
      ({{ this }}, metrics_stored) plus the activity summed from start on.
    Not incremental (first build, --full-refresh, Spark tables, a full plan):
    read_from is not a date, the seeds are empty and every formula is the
    full one.
-#}

{#- (macros here call no macro of another file: the sqlfluff templater loads each file alone) -#}

{#- metrics_before(column, read_from): `column < read_from` on an incremental run, else false (no seed rows). -#}
{% macro metrics_before(column, read_from) -%}
    {%- if (read_from | trim) not in ['none', 'all', ''] -%}
        {{ column }} < cast('{{ read_from | trim }}' as date)
    {%- else -%}
        1 = 0
    {%- endif -%}
{%- endmacro %}

{#-
    metrics_stored(start, columns): on an incremental run, the CTE `stored,`:
    the model's own rows of the day before start (account_id and `columns`,
    from {{ this }}); nothing otherwise. metrics_stored_join(start,
    account_days) left joins it on the account (nothing when not incremental).
-#}
{% macro metrics_stored(start, columns) -%}
    {%- if (start | trim) not in ['none', 'all', ''] %}
stored as (
    select
        account_id
        {%- for column in columns %},
        {{ column }}
        {%- endfor %}
    from {{ this }}
    where date_day = cast({{ dbt.dateadd('day', -1, "cast('" ~ (start | trim) ~ "' as date)") }} as date)
),
    {%- endif %}
{%- endmacro %}

{% macro metrics_stored_join(start, account_days='account_days') -%}
    {%- if (start | trim) not in ['none', 'all', ''] %}
    left join stored
        on {{ account_days }}.account_id = stored.account_id
    {%- endif %}
{%- endmacro %}
