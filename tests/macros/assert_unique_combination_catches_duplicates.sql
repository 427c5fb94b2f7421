-- Business rule: the unique_combination_of_columns generic test (macros/tests)
-- passes on unique combinations and returns one row per duplicated
-- combination (nulls compare equal). Returns the cases that disagree with the
-- hand-counted expectation.
with

fixture as (
    select 'a' as key_a, 1 as key_b
    union all select 'a', 2
    union all select 'a', 2
    union all select 'b', cast(null as integer)
    union all select 'b', cast(null as integer)
    union all select 'c', 1
),

cases as (
    select
        'two duplicated combinations' as case_name,
        2 as expected_failures,
        (select count(*) from ({{ test_unique_combination_of_columns(
            model='fixture', combination_of_columns=['key_a', 'key_b']
        ) }}) as f) as actual_failures
    union all
    select
        'good data passes (distinct rows)',
        0,
        (select count(*) from ({{ test_unique_combination_of_columns(
            model='(select distinct key_a, key_b from fixture) as distinct_fixture', combination_of_columns=['key_a', 'key_b']
        ) }}) as f)
)

select * from cases
where expected_failures != actual_failures
