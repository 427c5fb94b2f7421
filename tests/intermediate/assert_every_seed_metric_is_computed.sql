-- Rule (SPEC §4.1): every metric of the catalogue seed must be computed.
-- A row added to seeds/health_metrics.csv without SQL behind it would be
-- silently missing from every score; this test names it and the fix.
-- (Only checked when the warehouse has metric rows at all.)
with

seed_metrics as (
    select * from {{ ref('health_metrics') }}
),

unpivoted as (
    -- a daily run reads the recomputed days only: the metrics present are
    -- the columns of int_account_metrics_daily, and every account-day has a
    -- row per present metric (nulls kept), so any day names them all; a seed
    -- change is a full build, which reads every day
    select * from {{ ref('int_account_metrics_unpivoted') }}
    where 1 = 1 {{ health_test_day_filter('date_day') }}
),

computed_metrics as (
    select distinct metric
    from unpivoted
),

final as (
    select
        seed_metrics.metric,
        seed_metrics.component,
        'seeds/health_metrics.csv lists metric ''' || seed_metrics.metric
        || ''' but int_account_metrics_unpivoted has no such metric: compute it as a column of the '
        || seed_metrics.component || ' model (models/intermediate/int_' || seed_metrics.component
        || '_metrics_daily.sql) and select it in int_account_metrics_daily, or in a metrics model that declares'
        || ' meta.health_component (docs/method.md, Adding a component)'
        || ' (or fix the name in the seed)' as fix
    from seed_metrics
    left join computed_metrics
        on seed_metrics.metric = computed_metrics.metric
    where
        computed_metrics.metric is null
        and exists (select 1 from unpivoted)
)

select * from final
