-- noqa: disable=LT02
{#- sqlfluff cannot infer the indentation of jinja-built test SQL: see macros/staging/quarantine.sql -#}
{#-
    accepted_range: every non-null value of the column lies within
    [min_value, max_value] (or the open interval when inclusive is false).
    Either bound may be omitted. Restrict rows with dbt's `config: where:`.
    Returns the offending rows.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{%- if min_value is none and max_value is none %}
{{ exceptions.raise_compiler_error(
    "accepted_range on " ~ model ~ "." ~ column_name ~ ": set min_value and/or max_value"
) }}
{%- endif %}
select *
from {{ model }}
where
    {{ column_name }} is not null
    and (
        1 = 0
{%- if min_value is not none %}
        or {{ column_name }} {{ "<" if inclusive else "<=" }} {{ min_value }}
{%- endif %}
{%- if max_value is not none %}
        or {{ column_name }} {{ ">" if inclusive else ">=" }} {{ max_value }}
{%- endif %}
    )
{% endtest %}
