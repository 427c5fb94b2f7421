-- int_account_metrics_daily in long form: one row per account, customer day
-- and metric of the catalogue (metrics_catalogue(), the `metric` names of
-- seeds/health_metrics.csv), so scoring can join the seed by metric name.
-- Null values are kept (null = not observed). A view: the scoring reads the
-- wide int_account_metrics_daily; this long form serves the reports and tests.
{{ config(materialized='view') }}
with

{# inlined: each per-metric select scans its own three columns, and a
    reader's filter (one day, a few metrics) reaches each scan, instead of the
    whole wide table being materialised once for all the selects #}
metrics_daily as {{ health_cte_inline() }} (
    select * from {{ ref('int_account_metrics_daily') }}
),

unpivoted as (
    {{ metrics_unpivot(
        'metrics_daily', ['account_id', 'date_day'], metrics_catalogue(),
        columns_of=ref('int_account_metrics_daily')
    ) }}
),

final as (
    select
        account_id,
        date_day,
        metric,
        metric_value
    from unpivoted
)

select * from final
