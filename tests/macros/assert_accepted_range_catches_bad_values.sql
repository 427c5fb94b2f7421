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

{{ generic_test_cases([
    ('inclusive 1..10 on mixed data', 2, test_accepted_range(
        model='fixture', column_name='value_col', min_value=1, max_value=10
    )),
    ('exclusive 1..10 on mixed data', 4, test_accepted_range(
        model='fixture', column_name='value_col', min_value=1, max_value=10, inclusive=false
    )),
    ('min only (>= 5)', 2, test_accepted_range(model='fixture', column_name='value_col', min_value=5)),
    ('max only (<= 0)', 4, test_accepted_range(model='fixture', column_name='value_col', max_value=0)),
    ('good data passes', 0, test_accepted_range(
        model='good_fixture', column_name='value_col', min_value=1, max_value=10
    )),
]) }}
