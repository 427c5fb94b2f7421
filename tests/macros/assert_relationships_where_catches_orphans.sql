-- Business rule: the relationships_where generic test (macros/tests) returns
-- every child value without a parent (after the optional filters on both
-- sides; nulls are not checked) and nothing on good data. Returns the cases
-- that disagree with the hand-counted expectation.
with

parent_fixture as (
    select 'a' as parent_id, true as is_active
    union all select 'b', false
),

child_fixture as (
    select 'a' as parent_id, 1 as amount
    union all select 'b', 1
    union all select 'z', 1
    union all select 'z', -1
    union all select cast(null as {{ dbt.type_string() }}), 1
),

cases as (
    select
        'one orphan value (z, twice)' as case_name,
        2 as expected_failures,
        (select count(*) from ({{ test_relationships_where(
            model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id'
        ) }}) as f) as actual_failures
    union all
    select
        'parent filtered to active: b becomes an orphan too',
        3,
        (select count(*) from ({{ test_relationships_where(
            model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
            to_condition='is_active'
        ) }}) as f)
    union all
    select
        'child filtered to positive amounts, parent unfiltered',
        1,
        (select count(*) from ({{ test_relationships_where(
            model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
            from_condition='amount > 0'
        ) }}) as f)
    union all
    select
        'good data passes',
        0,
        (select count(*) from ({{ test_relationships_where(
            model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
            from_condition="parent_id in ('a', 'b')"
        ) }}) as f)
)

select * from cases
where expected_failures != actual_failures
