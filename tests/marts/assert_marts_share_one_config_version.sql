-- Rule (SPEC §4.8): config_version is the hash of the config that built the
-- scores and is the same on every row of every mart of a build.
{% set marts = [
    'fct_account_health_daily', 'fct_account_health_components', 'account_health_current',
    'rpt_at_risk_queue', 'rpt_renewal_window', 'rpt_health_alerts', 'rpt_driver_summary',
] -%}
with

config_version as (
    select * from {{ ref('int_config_version') }}
),

stamped as (
    {%- for mart in marts %}
    select distinct
        '{{ mart }}' as mart,
        config_version
    from {{ ref(mart) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    stamped.mart,
    stamped.config_version
from stamped
left join config_version
    on stamped.config_version = config_version.config_version
where config_version.config_version is null
