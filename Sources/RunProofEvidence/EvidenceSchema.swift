import RunProofStore

/// DDL of the governance tables the evidence and governance queries read, with the indexes that keep them fast.
public enum EvidenceSchema {
    public static let postgres = """
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

    """

    public static let sqlite = """
    CREATE TABLE IF NOT EXISTS incidents (
        incident_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, source_run_id TEXT, severity TEXT NOT NULL,
        title TEXT NOT NULL, created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS incidents_tenant_run ON incidents (tenant_id, source_run_id, created_at);
    CREATE TABLE IF NOT EXISTS policy_rules (policy_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS prevention_records (
        record_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, run_id TEXT, policy_id TEXT NOT NULL, outcome TEXT NOT NULL,
        evaluated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS prevention_records_tenant_run ON prevention_records (tenant_id, run_id, evaluated_at);
    CREATE TABLE IF NOT EXISTS limits (limit_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, name TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS limit_breaches (
        breach_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, run_id TEXT, limit_id TEXT NOT NULL,
        breached_value REAL NOT NULL, threshold_value REAL NOT NULL, breached_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS limit_breaches_tenant_run ON limit_breaches (tenant_id, run_id, breached_at);
    CREATE TABLE IF NOT EXISTS decisions (
        decision_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, run_id TEXT, decision_type TEXT NOT NULL,
        outcome TEXT NOT NULL, decided_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS decisions_tenant_run ON decisions (tenant_id, run_id, decided_at);
    CREATE TABLE IF NOT EXISTS audit_ledger (
        id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL,
        event_type TEXT NOT NULL, entity_type TEXT, entity_id TEXT, actor TEXT, before_state TEXT, after_state TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS audit_ledger_after_run ON audit_ledger (tenant_id, json_extract(after_state, '$.run_id'), created_at, id);
    CREATE INDEX IF NOT EXISTS audit_ledger_before_run ON audit_ledger (tenant_id, json_extract(before_state, '$.run_id'), created_at, id);

    """

    public static func ddl(_ dialect: SQLDialect) -> String { dialect == .postgres ? postgres : sqlite }
}
