-- Business rule (SPEC §3 "Time"): the data has exactly one time frame; every
-- model reads data_end_date / as_of_date from the single row of
-- stg_data_bounds. Returns a row when it holds anything but one row.
select count(*) as n_rows
from {{ ref('stg_data_bounds') }}
having count(*) != 1
