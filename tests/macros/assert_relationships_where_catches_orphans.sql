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

{{ generic_test_cases([
    ('one orphan value (z, twice)', 2, test_relationships_where(
        model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id'
    )),
    ('parent filtered to active: b becomes an orphan too', 3, test_relationships_where(
        model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
        to_condition='is_active'
    )),
    ('child filtered to positive amounts, parent unfiltered', 1, test_relationships_where(
        model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
        from_condition='amount > 0'
    )),
    ('good data passes', 0, test_relationships_where(
        model='child_fixture', column_name='parent_id', to='parent_fixture', field='parent_id',
        from_condition="parent_id in ('a', 'b')"
    )),
]) }}
