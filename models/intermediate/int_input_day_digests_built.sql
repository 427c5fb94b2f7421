{#-
    int_input_day_digests as of the last build that scored every incremental
    account-day model: written after them (the depends_on comments below), so
    a build that failed or stopped before the scores were written leaves the
    previous digests, and the next build recomputes from the earliest day
    that differs from those. int_build_plan reads this table as the previous
    build left it (by name, before this build replaces it).
-#}
-- depends_on: {{ ref('int_health_scores_wide') }}
-- depends_on: {{ ref('fct_account_health_daily') }}
-- depends_on: {{ ref('fct_account_health_components') }}
-- depends_on: {{ ref('int_backtest_metric_features') }}
with

digests as (
    select * from {{ ref('int_input_day_digests') }}
),

final as (
    select
        input_name,
        fact_day,
        n_rows,
        digest
    from digests
)

select * from final
