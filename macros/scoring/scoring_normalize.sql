{#-
    scoring_clamp_unit(expression): the expression clamped to [0, 1] with
    `case` (not least/greatest, whose null handling differs between engines).
    A null stays null.
-#}
{% macro scoring_clamp_unit(expression) -%}
    case
        when ({{ expression }}) < 0 then 0.0
        when ({{ expression }}) > 1 then 1.0
        else {{ expression }}
    end
{%- endmacro %}

{#-
    scoring_normalize(value, low, high, direction): SPEC §4.2 metric subscore,
    clamp((value - low) / (high - low), 0, 1), inverted (1 - x) when direction
    is 'lower_is_better'. Pass floating point expressions (cast integers to
    type_double() first: integer division differs between engines). A null
    value gives null (not observed); low = high (rejected by config
    validation) also gives null instead of a division by zero.
-#}
{% macro scoring_normalize(value, low, high, direction) -%}
    {%- set ratio -%}
        (({{ value }}) - ({{ low }})) / nullif(({{ high }}) - ({{ low }}), 0)
    {%- endset -%}
    case
        when {{ direction }} = 'lower_is_better' then 1 - {{ scoring_clamp_unit(ratio) }}
        else {{ scoring_clamp_unit(ratio) }}
    end
{%- endmacro %}
