-- Payment attempts with their quarantine verdict (see base_crm__accounts).
{{ quarantine_base('payments', checks=[
    (
        'negative_amount',
        'amount < 0',
        dbt.concat(["'amount '", quarantine_text('amount__raw'), "' is negative'"]),
    ),
]) }}
