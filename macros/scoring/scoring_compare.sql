{#-
    scoring_compare(value, operator, threshold): a boolean expression that
    applies a comparison operator stored as data (health_caps.operator:
    '>=', '>', '<=', '<', '=') to value and threshold. Plain `case`, so it is
    the same SQL on every engine; an unknown operator or a null value is never
    true.
-#}
{% macro scoring_compare(value, operator, threshold) -%}
    (
        case
            when {{ value }} is null or {{ threshold }} is null then false
            when {{ operator }} = '>=' then {{ value }} >= {{ threshold }}
            when {{ operator }} = '>' then {{ value }} > {{ threshold }}
            when {{ operator }} = '<=' then {{ value }} <= {{ threshold }}
            when {{ operator }} = '<' then {{ value }} < {{ threshold }}
            when {{ operator }} = '=' then {{ value }} = {{ threshold }}
            else false
        end
    )
{%- endmacro %}
