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

{{ generic_test_cases([
    ('two duplicated combinations', 2, test_unique_combination_of_columns(
        model='fixture', combination_of_columns=['key_a', 'key_b']
    )),
    ('good data passes (distinct rows)', 0, test_unique_combination_of_columns(
        model='(select distinct key_a, key_b from fixture) as distinct_fixture', combination_of_columns=['key_a', 'key_b']
    )),
]) }}
