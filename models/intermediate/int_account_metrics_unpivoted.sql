-- int_account_metrics_daily in long form: one row per account, customer day
-- and metric of the catalogue (metrics_catalogue(), the `metric` names of
-- seeds/health_metrics.csv), so scoring can join the seed by metric name.
-- Null values are kept (null = not observed). A view: the scoring reads the
-- wide int_account_metrics_daily; this long form serves the reports and tests.
{{ config(materialized='view') }}
with

metrics_daily as (
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
