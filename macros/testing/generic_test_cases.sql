{#
    The harness of the tests in tests/macros: each case runs a generic test's
    SQL (its failing rows) on an inline fixture and states how many rows it
    must return. Emits the `cases` CTE and the final select, which returns the
    cases whose failing-row count differs from the expectation.
    cases: a list of (case name, expected failures as SQL, failing-rows SQL).
    Use after the fixture CTEs and their trailing comma.
#}
{% macro generic_test_cases(cases) %}
cases as (
    {%- for case_name, expected_failures, failing_rows in cases %}
    select
        '{{ case_name | replace("'", "''") }}' as case_name,
        {{ expected_failures }} as expected_failures,
        (select count(*) from ({{ failing_rows }}) as f) as actual_failures
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from cases
where expected_failures != actual_failures
{% endmacro %}
