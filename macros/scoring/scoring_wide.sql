{#-
    scoring_metric_config(health_metrics, metrics, double): a one-row select (no
    group by, so one row even when the catalogue is empty) pivoting the seed
    health_metrics into columns per metric m of `metrics` (a list):
    m__in_seed (1, or null when the seed has no row for m), m__component,
    m__direction, m__threshold_type (absolute when unset), m__low, m__high,
    m__weight, m__missing_value (cast to `double`, type_double()).
-#}
{% macro scoring_metric_config(health_metrics, metrics, double) -%}
    select
        {%- for m in metrics %}
        max(case when metric = '{{ m }}' then 1 end) as {{ m }}__in_seed,
        max(case when metric = '{{ m }}' then component end) as {{ m }}__component,
        max(case when metric = '{{ m }}' then direction end) as {{ m }}__direction,
        max(case when metric = '{{ m }}' then coalesce(threshold_type, 'absolute') end) as {{ m }}__threshold_type,
        max(case when metric = '{{ m }}' then cast(low as {{ double }}) end) as {{ m }}__low,
        max(case when metric = '{{ m }}' then cast(high as {{ double }}) end) as {{ m }}__high,
        max(case when metric = '{{ m }}' then cast(weight as {{ double }}) end) as {{ m }}__weight,
        max(case when metric = '{{ m }}' then cast(missing_value as {{ double }}) end) as {{ m }}__missing_value
        {{- "," if not loop.last }}
        {%- endfor %}
    from {{ health_metrics }}
{%- endmacro %}

{#-
    scoring_sorts_before(a, b, keys): boolean SQL, true when row a sorts
    before row b in `order by k1 desc, k2 desc, ..., name asc` with nulls
    last (DuckDB's default, which the long-form row_number used). `a` and
    `b` are dicts {name: compile-time text, keys: [SQL expressions]}; the
    final tie-break on the names is decided at compile time.
-#}
{% macro scoring_sorts_before(a, b) -%}
    {%- set ns = namespace(sql='true' if a.name < b.name else 'false') -%}
    {%- for i in range(a['keys'] | length) | reverse -%}
        {%- set ka = a['keys'][i] -%}
        {%- set kb = b['keys'][i] -%}
        {%- set ns.sql = '((' ~ ka ~ ' is not null and (' ~ kb ~ ' is null or ' ~ ka ~ ' > ' ~ kb ~ '))'
            ~ ' or ((' ~ ka ~ ' = ' ~ kb ~ ' or (' ~ ka ~ ' is null and ' ~ kb ~ ' is null)) and ' ~ ns.sql ~ '))' -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}

{#-
    health_wide_sum(components, suffix, zero): the sum over the components of
    their `<component><suffix>` column, a missing one counting as `zero`
    (SQL text, for health_round and other wrappers).
-#}
{% macro health_wide_sum(components, suffix, zero) -%}
    {%- for c in components -%}
    coalesce({{ c }}{{ suffix }}, {{ zero }}){{ " + " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
