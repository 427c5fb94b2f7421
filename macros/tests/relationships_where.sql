-- noqa: disable=LT02
{#- sqlfluff cannot infer the indentation of jinja-built test SQL: see macros/staging/quarantine.sql -#}
{#-
    relationships_where: every value of the column (among rows matching
    from_condition) exists in field of the `to` relation (among rows matching
    to_condition). Nulls are not checked. Returns the orphan values.
-#}
{% test relationships_where(model, column_name, to, field, from_condition="1 = 1", to_condition="1 = 1") %}
with

child as (
    select {{ column_name }} as child_value
    from {{ model }}
    where {{ column_name }} is not null and ({{ from_condition }})
),

parent as (
    select {{ field }} as parent_value
    from {{ to }}
    where {{ to_condition }}
)

select child.child_value
from child
left join parent
    on child.child_value = parent.parent_value
where parent.parent_value is null
{% endtest %}
