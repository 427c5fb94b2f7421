-- CSM activities with their quarantine verdict (see base_crm__accounts).
{{ quarantine_base('csm_activities') }}
