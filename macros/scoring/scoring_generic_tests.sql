{#-
    Generic tests used by the scoring and mart models.

    scoring_between(min_value=none, max_value=none): every non-null value of
    the column lies in [min_value, max_value] (either bound optional; a
    tolerance of 1e-9 absorbs floating point noise in sums of weights).
-#}
{% test scoring_between(model, column_name, min_value=none, max_value=none) %}
    {%- set lower_check = column_name ~ ' < ' ~ min_value ~ ' - 1e-9' if min_value is not none else '1 = 0' -%}
    {%- set upper_check = column_name ~ ' > ' ~ max_value ~ ' + 1e-9' if max_value is not none else '1 = 0' %}
select {{ column_name }} as out_of_range_value
from {{ model }}
where {{ lower_check }} or {{ upper_check }}
{% endtest %}

{#-
    scoring_unique_combination(columns): no two rows share the same values
    of `columns` (the model's grain).
-#}
{% test scoring_unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
