{#-
    Generic test used by the scoring and mart models (grain uniqueness uses
    the shared unique_combination_of_columns of macros/tests).

    scoring_between(min_value=none, max_value=none): every non-null value of
    the column lies in [min_value, max_value] (either bound optional; a
    tolerance of 1e-9 absorbs floating point noise in sums of weights, which
    the shared accepted_range test does not allow).
-#}
{% test scoring_between(model, column_name, min_value=none, max_value=none) %}
    {%- set lower_check = column_name ~ ' < ' ~ min_value ~ ' - 1e-9' if min_value is not none else '1 = 0' -%}
    {%- set upper_check = column_name ~ ' > ' ~ max_value ~ ' + 1e-9' if max_value is not none else '1 = 0' %}
select {{ column_name }} as out_of_range_value
from {{ model }}
where {{ lower_check }} or {{ upper_check }}
{% endtest %}

{#-
    scoring_metric_subscores_in_range: every m__subscore column of a wide
    metric model (one per metrics_catalogue() metric) is null or in [0, 1]
    (1e-9 tolerance). Returns the offending account-days with the first such metric and its value.
-#}
{% test scoring_metric_subscores_in_range(model) %}
    {%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list %}
    {#- one pass over the model (a view: a union per metric recomputed it per metric) -#}
select
    metric,
    out_of_range_value
from (
    select
        case
            {%- for m in metrics %}
            when {{ m }}__subscore < -1e-9 or {{ m }}__subscore > 1 + 1e-9 then '{{ m }}'
            {%- endfor %}
        end as metric,
        case
            {%- for m in metrics %}
            when {{ m }}__subscore < -1e-9 or {{ m }}__subscore > 1 + 1e-9 then {{ m }}__subscore
            {%- endfor %}
        end as out_of_range_value
    from {{ model }}
) as checked
where metric is not null
{% endtest %}
