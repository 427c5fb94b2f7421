-- Rule (issue 12, SPEC §1 "Bad input"): the data-quality summary accounts
-- for every raw row. Per table, rows read = clean rows + the quarantined rows
-- of its reason checks, and the clean and quarantined counts match the
-- staging models; every table of SPEC §1 has a rows check. Returns the
-- tables that do not add up.
with

quality as (
    select * from {{ ref('rpt_data_quality') }}
),

quarantine as (
    select
        source_table,
        count(*) as quarantined_rows
    from {{ ref('stg_quarantine') }}
    group by source_table
),

row_checks as (
    select
        source_table,
        row_count as clean_rows,
        total_count as read_rows
    from quality
    where check_group = 'rows'
),

reason_checks as (
    select
        source_table,
        sum(row_count) as quarantined_rows
    from quality
    where check_group = 'quarantine'
    group by source_table
),

compared as (
    select
        row_checks.source_table,
        row_checks.read_rows,
        row_checks.clean_rows,
        coalesce(reason_checks.quarantined_rows, 0) as summary_quarantined,
        coalesce(quarantine.quarantined_rows, 0) as staging_quarantined
    from row_checks
    left join reason_checks
        on row_checks.source_table = reason_checks.source_table
    left join quarantine
        on row_checks.source_table = quarantine.source_table
)

select *
from compared
where
    read_rows != clean_rows + summary_quarantined
    or summary_quarantined != staging_quarantined
union all
select
    'missing rows check' as source_table,
    count(*) as read_rows,
    null as clean_rows,
    null as summary_quarantined,
    null as staging_quarantined
from row_checks
having count(*) != 9
