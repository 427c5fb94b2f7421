{#-
    trace_failures(failure, rows, reference, keys, value, expected, tolerance,
    relative=false): the failing rows of a "compare within tolerance" trace:
    each row of `rows` left-joined to `reference` on `keys` (the first the
    observation, the second the metric or component), failing when exactly
    one of `value` / `expected` is null or they differ by more than
    `tolerance` (times 1 + |value| when `relative`). Columns metric (the
    second key), observation_id (the first) and failure (the text).
-#}
{% macro trace_failures(failure, rows, reference, keys, value, expected, tolerance, relative=false) -%}
    select
        {{ rows }}.{{ keys[1] }} as metric,
        {{ rows }}.{{ keys[0] }} as observation_id,
        '{{ failure }}' as failure
    from {{ rows }}
    left join {{ reference }}
        on {{ same_keys(rows, reference, keys) }}
    where
        ({{ value }} is null) != ({{ expected }} is null)
        or abs({{ value }} - {{ expected }})
        > {{ tolerance }}{{ ' * (1 + abs(' ~ value ~ '))' if relative }}
{%- endmacro %}
