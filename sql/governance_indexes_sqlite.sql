CREATE INDEX IF NOT EXISTS runproof_audit_ledger_after_run_id ON audit_ledger (json_extract(after_state, '$.run_id'), tenant_id);
CREATE INDEX IF NOT EXISTS runproof_audit_ledger_after_source_run_id ON audit_ledger (json_extract(after_state, '$.source_run_id'), tenant_id);
CREATE INDEX IF NOT EXISTS runproof_audit_ledger_before_run_id ON audit_ledger (json_extract(before_state, '$.run_id'), tenant_id);
CREATE INDEX IF NOT EXISTS runproof_audit_ledger_before_source_run_id ON audit_ledger (json_extract(before_state, '$.source_run_id'), tenant_id);
CREATE INDEX IF NOT EXISTS runproof_prevention_records_blocked_incident ON prevention_records (blocked_incident_id, tenant_id);
CREATE INDEX IF NOT EXISTS runproof_prevention_records_original_incident ON prevention_records (original_incident_id, tenant_id);
CREATE INDEX IF NOT EXISTS runproof_limit_breaches_run ON limit_breaches (run_id, tenant_id);
