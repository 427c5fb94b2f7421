-- Rule (SPEC §4.8): config_version is the hash of the config that built the
-- scores and is the same on every row of every mart of a build.
with

config_version as (
    select * from {{ ref('int_config_version') }}
),

stamped as (
    select distinct
        'fct_account_health_daily' as mart,
        config_version
    from {{ ref('fct_account_health_daily') }}
    union all
    select distinct
        'fct_account_health_components' as mart,
        config_version
    from {{ ref('fct_account_health_components') }}
    union all
    select distinct
        'account_health_current' as mart,
        config_version
    from {{ ref('account_health_current') }}
    union all
    select distinct
        'rpt_at_risk_queue' as mart,
        config_version
    from {{ ref('rpt_at_risk_queue') }}
    union all
    select distinct
        'rpt_renewal_window' as mart,
        config_version
    from {{ ref('rpt_renewal_window') }}
    union all
    select distinct
        'rpt_health_alerts' as mart,
        config_version
    from {{ ref('rpt_health_alerts') }}
    union all
    select distinct
        'rpt_driver_summary' as mart,
        config_version
    from {{ ref('rpt_driver_summary') }}
)

select
    stamped.mart,
    stamped.config_version
from stamped
left join config_version
    on stamped.config_version = config_version.config_version
where config_version.config_version is null
