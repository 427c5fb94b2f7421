-- Business rule: the equal_rowcount generic test (macros/tests), used for
-- row-count reconciliation, passes when both sides have the same number of
-- rows (after their optional filters) and fails with one row otherwise.
-- Returns the cases that disagree with the hand-counted expectation.
with

left_fixture as (
    select 1 as id, 'x' as kind
    union all select 2, 'x'
    union all select 3, 'y'
),

right_fixture as (
    select 10 as id
    union all select 20
),

{{ generic_test_cases([
    ('3 rows vs 2 rows', 1, test_equal_rowcount(model='left_fixture', compare_model='right_fixture')),
    ('filtered 2 rows vs 2 rows passes', 0, test_equal_rowcount(
        model='left_fixture', compare_model='right_fixture', model_where="kind = 'x'"
    )),
    ('both filtered to different counts', 1, test_equal_rowcount(
        model='left_fixture', compare_model='right_fixture', model_where="kind = 'x'", compare_where='id > 10'
    )),
]) }}
