-- Business rule: the accepted_range generic test (macros/tests) passes on
-- good data and flags exactly the out-of-range rows (nulls are ignored;
-- inclusive / exclusive bounds; one-sided bounds). Each case runs the test's
-- SQL on an inline fixture and compares the number of failing rows with the
-- hand-counted expectation. Returns the cases that disagree.
with

fixture as (
    select cast(null as integer) as value_col
    union all select 0
    union all select 1
    union all select 5
    union all select 10
    union all select 11
),

good_fixture as (
    select 1 as value_col
    union all select 10
),

cases as (
    select
        'inclusive 1..10 on mixed data' as case_name,
        2 as expected_failures,
        (select count(*) from ({{ test_accepted_range(model='fixture', column_name='value_col', min_value=1, max_value=10) }}) as f)
            as actual_failures
    union all
    select
        'exclusive 1..10 on mixed data',
        4,
        (select count(*) from ({{ test_accepted_range(
            model='fixture', column_name='value_col', min_value=1, max_value=10, inclusive=false
        ) }}) as f)
    union all
    select
        'min only (>= 5)',
        2,
        (select count(*) from ({{ test_accepted_range(model='fixture', column_name='value_col', min_value=5) }}) as f)
    union all
    select
        'max only (<= 0)',
        4,
        (select count(*) from ({{ test_accepted_range(model='fixture', column_name='value_col', max_value=0) }}) as f)
    union all
    select
        'good data passes',
        0,
        (select count(*) from ({{ test_accepted_range(
            model='good_fixture', column_name='value_col', min_value=1, max_value=10
        ) }}) as f)
)

select * from cases
where expected_failures != actual_failures
