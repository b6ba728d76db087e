CREATE TABLE IF NOT EXISTS incidents (
    incident_id    text PRIMARY KEY,
    tenant_id      text NOT NULL,
    source_run_id  text,
    severity       text NOT NULL,
    title          text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS incidents_tenant_run ON incidents (tenant_id, source_run_id, created_at);

CREATE TABLE IF NOT EXISTS policy_rules (
    policy_id  text PRIMARY KEY,
    tenant_id  text NOT NULL,
    name       text NOT NULL
);
CREATE TABLE IF NOT EXISTS prevention_records (
    record_id     text PRIMARY KEY,
    tenant_id     text NOT NULL,
    run_id        text,
    policy_id     text NOT NULL,
    outcome       text NOT NULL,
    evaluated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS prevention_records_tenant_run ON prevention_records (tenant_id, run_id, evaluated_at);

CREATE TABLE IF NOT EXISTS limits (
    limit_id   text PRIMARY KEY,
    tenant_id  text NOT NULL,
    name       text NOT NULL
);
CREATE TABLE IF NOT EXISTS limit_breaches (
    breach_id        text PRIMARY KEY,
    tenant_id        text NOT NULL,
    run_id           text,
    limit_id         text NOT NULL,
    breached_value   double precision NOT NULL,
    threshold_value  double precision NOT NULL,
    breached_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS limit_breaches_tenant_run ON limit_breaches (tenant_id, run_id, breached_at);

CREATE TABLE IF NOT EXISTS decisions (
    decision_id    text PRIMARY KEY,
    tenant_id      text NOT NULL,
    run_id         text,
    decision_type  text NOT NULL,
    outcome        text NOT NULL,
    decided_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS decisions_tenant_run ON decisions (tenant_id, run_id, decided_at);

CREATE TABLE IF NOT EXISTS audit_ledger (
    id            bigserial PRIMARY KEY,
    event_id      text NOT NULL UNIQUE,
    tenant_id     text NOT NULL,
    event_type    text NOT NULL,
    entity_type   text,
    entity_id     text,
    actor         text,
    before_state  jsonb,
    after_state   jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS audit_ledger_after_run ON audit_ledger (tenant_id, (after_state ->> 'run_id'), created_at, id);
CREATE INDEX IF NOT EXISTS audit_ledger_before_run ON audit_ledger (tenant_id, (before_state ->> 'run_id'), created_at, id);
