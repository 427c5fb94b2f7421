-- Survey sends and answers with their quarantine verdict (see
-- base_crm__accounts). Scores must fit their scale: nps 0-10, csat 1-5.
{{ quarantine_base('survey_responses', checks=[
    (
        'out_of_range_value',
        "(survey_type = 'nps' and (score < 0 or score > 10)) or (survey_type = 'csat' and (score < 1 or score > 5))",
        dbt.concat([
            "'score '", quarantine_text('score__raw'), "' is outside the '", "survey_type", "' scale'",
        ]),
    ),
    (
        'end_before_start',
        'responded_at < sent_at',
        dbt.concat([
            "'responded_at '", quarantine_text('responded_at__raw'), "' is before sent_at '",
            quarantine_text('sent_at__raw'),
        ]),
    ),
]) }}
