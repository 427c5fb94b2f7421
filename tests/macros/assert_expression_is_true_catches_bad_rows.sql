-- Business rule: the expression_is_true generic test (macros/tests) passes
-- when the expression holds on every row and returns exactly the rows where
-- it is false or null, both model-level and column-level. Returns the cases
-- whose failing-row count differs from the hand-counted expectation.
with

fixture as (
    select 1 as start_value, 2 as end_value
    union all select 3, 2
    union all select 5, cast(null as integer)
),

cases as (
    select
        'model level: end >= start' as case_name,
        2 as expected_failures,
        (select count(*) from ({{ test_expression_is_true(model='fixture', expression='end_value >= start_value') }}) as f)
            as actual_failures
    union all
    select
        'model level: null allowed explicitly',
        1,
        (select count(*) from ({{ test_expression_is_true(
            model='fixture', expression='end_value is null or end_value >= start_value'
        ) }}) as f)
    union all
    select
        'column level: start_value < 4',
        1,
        (select count(*) from ({{ test_expression_is_true(model='fixture', column_name='start_value', expression='< 4') }}) as f)
    union all
    select
        'good data passes',
        0,
        (select count(*) from ({{ test_expression_is_true(model='fixture', expression='start_value > 0') }}) as f)
)

select * from cases
where expected_failures != actual_failures
