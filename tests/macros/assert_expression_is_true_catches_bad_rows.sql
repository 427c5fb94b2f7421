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

{{ generic_test_cases([
    ('model level: end >= start', 2, test_expression_is_true(
        model='fixture', expression='end_value >= start_value'
    )),
    ('model level: null allowed explicitly', 1, test_expression_is_true(
        model='fixture', expression='end_value is null or end_value >= start_value'
    )),
    ('column level: start_value < 4', 1, test_expression_is_true(
        model='fixture', column_name='start_value', expression='< 4'
    )),
    ('good data passes', 0, test_expression_is_true(model='fixture', expression='start_value > 0')),
]) }}
