{#-
    health_surrogate_key(columns): null-safe hash of a list of column
    expressions. Nulls become a sentinel so ('a', null) and (null, 'a') hash
    differently; a separator keeps ('ab', 'c') apart from ('a', 'bc').
-#}
{% macro health_surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_health_null_')"
        ) -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
