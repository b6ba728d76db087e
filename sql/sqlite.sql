CREATE TABLE IF NOT EXISTS aos_traces (
    trace_id        TEXT PRIMARY KEY,
    run_id          TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    correlation_id  TEXT NOT NULL,
    agent_id        TEXT,
    plan            TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'running',
    started_at      TEXT NOT NULL,
    completed_at    TEXT,
    archived_at     TEXT
);
CREATE INDEX IF NOT EXISTS aos_traces_tenant_run ON aos_traces (tenant_id, run_id);

CREATE TABLE IF NOT EXISTS aos_trace_steps (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id          TEXT NOT NULL REFERENCES aos_traces (trace_id),
    step_index        INTEGER NOT NULL,
    skill_id          TEXT,
    skill_name        TEXT NOT NULL,
    params            TEXT NOT NULL DEFAULT '{}',
    status            TEXT NOT NULL,
    outcome_category  TEXT NOT NULL,
    outcome_code      TEXT,
    outcome_data      TEXT,
    cost_cents        REAL NOT NULL DEFAULT 0,
    duration_ms       REAL NOT NULL DEFAULT 0,
    retry_count       INTEGER NOT NULL DEFAULT 0,
    input_hash        TEXT,
    output_hash       TEXT,
    rng_state_before  TEXT,
    idempotency_key   TEXT,
    replay_behavior   TEXT,
    "timestamp"       TEXT NOT NULL,
    source            TEXT,
    level             TEXT,
    archived_at       TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS aos_trace_steps_trace_step ON aos_trace_steps (trace_id, step_index);
CREATE TABLE IF NOT EXISTS aos_trace_seals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id      TEXT NOT NULL,
    tenant_id     TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    chain_length  INTEGER NOT NULL CHECK (chain_length > 0),
    head          TEXT NOT NULL,
    merkle_root   TEXT NOT NULL,
    key_id        TEXT,
    seal          TEXT NOT NULL,
    frontier      TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (trace_id, chain_length)
);
CREATE TRIGGER IF NOT EXISTS aos_trace_seals_no_update BEFORE UPDATE ON aos_trace_seals
BEGIN SELECT RAISE(ABORT, 'aos_trace_seals is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS aos_trace_seals_no_delete BEFORE DELETE ON aos_trace_seals
BEGIN SELECT RAISE(ABORT, 'aos_trace_seals is append-only: DELETE rejected'); END;
CREATE TABLE IF NOT EXISTS aos_trace_leaves (
    trace_id      TEXT NOT NULL,
    step_index    INTEGER NOT NULL,
    leaf          TEXT NOT NULL,
    PRIMARY KEY (trace_id, step_index)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS aos_trace_leaves_no_update BEFORE UPDATE ON aos_trace_leaves
BEGIN SELECT RAISE(ABORT, 'aos_trace_leaves is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS aos_trace_leaves_no_delete BEFORE DELETE ON aos_trace_leaves
BEGIN SELECT RAISE(ABORT, 'aos_trace_leaves is append-only: DELETE rejected'); END;
CREATE TABLE IF NOT EXISTS aos_trace_closures (
    trace_id      TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    chain_length  INTEGER NOT NULL CHECK (chain_length > 0),
    key_id        TEXT,
    seal          TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER IF NOT EXISTS aos_trace_closures_no_update BEFORE UPDATE ON aos_trace_closures
BEGIN SELECT RAISE(ABORT, 'aos_trace_closures is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS aos_trace_closures_no_delete BEFORE DELETE ON aos_trace_closures
BEGIN SELECT RAISE(ABORT, 'aos_trace_closures is append-only: DELETE rejected'); END;
CREATE TABLE IF NOT EXISTS aos_tenant_log (
    tenant_id     TEXT NOT NULL,
    log_index     INTEGER NOT NULL,
    trace_id      TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    entry         TEXT NOT NULL,
    PRIMARY KEY (tenant_id, log_index)
);
CREATE INDEX IF NOT EXISTS aos_tenant_log_trace ON aos_tenant_log (tenant_id, trace_id);
CREATE TRIGGER IF NOT EXISTS aos_tenant_log_no_update BEFORE UPDATE ON aos_tenant_log
BEGIN SELECT RAISE(ABORT, 'aos_tenant_log is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS aos_tenant_log_no_delete BEFORE DELETE ON aos_tenant_log
BEGIN SELECT RAISE(ABORT, 'aos_tenant_log is append-only: DELETE rejected'); END;
CREATE TABLE IF NOT EXISTS aos_tenant_log_heads (
    tenant_id     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    root          TEXT NOT NULL,
    frontier      TEXT NOT NULL,
    checkpoint_signature TEXT,
    PRIMARY KEY (tenant_id, size)
);
CREATE TRIGGER IF NOT EXISTS aos_tenant_log_heads_no_update BEFORE UPDATE ON aos_tenant_log_heads
BEGIN SELECT RAISE(ABORT, 'aos_tenant_log_heads is append-only: UPDATE rejected'); END;
CREATE TRIGGER IF NOT EXISTS aos_tenant_log_heads_no_delete BEFORE DELETE ON aos_tenant_log_heads
BEGIN SELECT RAISE(ABORT, 'aos_tenant_log_heads is append-only: DELETE rejected'); END;
