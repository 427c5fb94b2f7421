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

cases as (
    select
        '3 rows vs 2 rows' as case_name,
        1 as expected_failures,
        (select count(*) from ({{ test_equal_rowcount(model='left_fixture', compare_model='right_fixture') }}) as f)
            as actual_failures
    union all
    select
        'filtered 2 rows vs 2 rows passes',
        0,
        (select count(*) from ({{ test_equal_rowcount(
            model='left_fixture', compare_model='right_fixture', model_where="kind = 'x'"
        ) }}) as f)
    union all
    select
        'both filtered to different counts',
        1,
        (select count(*) from ({{ test_equal_rowcount(
            model='left_fixture', compare_model='right_fixture', model_where="kind = 'x'", compare_where='id > 10'
        ) }}) as f)
)

select * from cases
where expected_failures != actual_failures
