{#-
    scoring_fixed(expression): the expression as an exact decimal with 9
    decimals (decimal(38, 9); a cast rounds on every engine). The scoring
    models sum, compare and rank fixed values only, so the result does not
    depend on the order in which an engine adds floating point numbers
    (threads, partitions) and ties such as 0.2 vs 0.20000000000000004 are
    exact ties, broken by the explicit tie order of each ranking. Nine
    decimals keep the points of five components within 5e-9 of 100.
-#}
{% macro scoring_fixed(expression) -%}
    cast({{ expression }} as {{ scoring_fixed_type() }})
{%- endmacro %}

{#- scoring_fixed_type(): the exact decimal type of scoring_fixed(). -#}
{% macro scoring_fixed_type() -%}
    decimal(38, 9)
{%- endmacro %}
