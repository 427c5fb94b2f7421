{#- capped_at(value, cap): value lowered to cap when cap is below it (a null
    cap leaves value as is), as the caps do in scoring -#}
{% macro capped_at(value, cap) -%}
case when {{ cap }} < {{ value }} then {{ cap }} else {{ value }} end
{%- endmacro %}
