{#-
    The renewal calendar scaled to the contract term (rpt_renewal_window).
    An annual (or longer) term keeps the absolute days: window
    var renewal_window_days (180), stages 90 and 30 days out. A shorter term
    compresses them by term_months / 12, rounded down to whole days: a
    monthly plan's window opens 15 days before its renewal (stages at 7 and
    2 days), a quarterly plan's 45 days before (22 and 7 days).
-#}

{#- renewal_term_months(months): the term in months used for scaling, 1..12 (null or >= 12 -> 12). -#}
{% macro renewal_term_months(billing_period_months) -%}
    case
        when {{ billing_period_months }} is null or {{ billing_period_months }} >= 12 then 12
        when {{ billing_period_months }} < 1 then 1
        else {{ billing_period_months }}
    end
{%- endmacro %}

{#- renewal_days_for_term(days, term_months): days x term_months / 12, rounded down. -#}
{% macro renewal_days_for_term(days, term_months) -%}
    cast(floor({{ days }} * ({{ term_months }}) / 12.0) as {{ dbt.type_int() }})
{%- endmacro %}
