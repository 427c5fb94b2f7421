-- Support tickets with their quarantine verdict (see base_crm__accounts).
-- Only created_at is checked against the end of the data; response and
-- resolution times may be loaded a little fresher than product events.
{{ quarantine_base('support_tickets', checks=[
    (
        'out_of_range_value',
        'severity < 1 or severity > 4',
        dbt.concat(["'severity '", quarantine_text('severity__raw'), "' is not between 1 and 4'"]),
    ),
    (
        'out_of_range_value',
        'reopen_count < 0',
        dbt.concat(["'reopen_count '", quarantine_text('reopen_count__raw'), "' is negative'"]),
    ),
    (
        'end_before_start',
        'resolved_at < created_at',
        dbt.concat([
            "'resolved_at '", quarantine_text('resolved_at__raw'), "' is before created_at '",
            quarantine_text('created_at__raw'),
        ]),
    ),
    (
        'end_before_start',
        'first_response_at < created_at',
        dbt.concat([
            "'first_response_at '", quarantine_text('first_response_at__raw'), "' is before created_at '",
            quarantine_text('created_at__raw'),
        ]),
    ),
]) }}
