/// The DDL RunProof creates and reads, per dialect; `runproof schema` prints it (see sql/).
public enum Schema {
    /// The production tables as the platform has them (created only where missing).
    public static let postgresTraces = """
    CREATE TABLE IF NOT EXISTS aos_traces (
        trace_id        text PRIMARY KEY,
        run_id          text NOT NULL,
        tenant_id       text NOT NULL,
        correlation_id  text NOT NULL,
        agent_id        text,
        plan            jsonb NOT NULL DEFAULT '[]'::jsonb,
        status          text NOT NULL DEFAULT 'running',
        started_at      timestamptz NOT NULL DEFAULT now(),
        completed_at    timestamptz,
        archived_at     timestamptz
    );
    CREATE INDEX IF NOT EXISTS aos_traces_tenant_run ON aos_traces (tenant_id, run_id);

    CREATE TABLE IF NOT EXISTS aos_trace_steps (
        id                bigserial PRIMARY KEY,
        trace_id          text NOT NULL REFERENCES aos_traces (trace_id),
        step_index        integer NOT NULL,
        skill_id          text,
        skill_name        text NOT NULL,
        params            jsonb NOT NULL DEFAULT '{}'::jsonb,
        status            text NOT NULL,
        outcome_category  text NOT NULL,
        outcome_code      text,
        outcome_data      jsonb,
        cost_cents        double precision NOT NULL DEFAULT 0,
        duration_ms       double precision NOT NULL DEFAULT 0,
        retry_count       integer NOT NULL DEFAULT 0,
        input_hash        text,
        output_hash       text,
        rng_state_before  text,
        idempotency_key   text,
        replay_behavior   text,
        "timestamp"       timestamptz NOT NULL DEFAULT now(),
        source            text,
        level             text,
        archived_at       timestamptz
    );
    CREATE UNIQUE INDEX IF NOT EXISTS aos_trace_steps_trace_step ON aos_trace_steps (trace_id, step_index);

    """

    /// The seals table: append-only, one row per seal, unique per (trace, chain length).
    public static let postgresSeals = """
    CREATE TABLE IF NOT EXISTS aos_trace_seals (
        id            bigserial PRIMARY KEY,
        trace_id      text NOT NULL,
        tenant_id     text NOT NULL,
        run_id        text NOT NULL,
        chain_length  bigint NOT NULL CHECK (chain_length > 0),
        head          text NOT NULL,
        merkle_root   text NOT NULL,
        key_id        text,
        seal          text NOT NULL,      -- the seal record {"seal":{...},"signature":"..."}, JCS
        frontier      text NOT NULL,      -- Merkle right frontier: hex subtree roots, largest first, comma-separated
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT aos_trace_seals_trace_length UNIQUE (trace_id, chain_length)
    );
    CREATE OR REPLACE FUNCTION aos_trace_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'aos_trace_seals is append-only: % rejected', TG_OP USING ERRCODE = 'restrict_violation';
    END $$;
    DROP TRIGGER IF EXISTS aos_trace_seals_no_change ON aos_trace_seals;
    CREATE TRIGGER aos_trace_seals_no_change BEFORE UPDATE OR DELETE ON aos_trace_seals
        FOR EACH ROW EXECUTE FUNCTION aos_trace_seals_append_only();
    DROP TRIGGER IF EXISTS aos_trace_seals_no_truncate ON aos_trace_seals;
    CREATE TRIGGER aos_trace_seals_no_truncate BEFORE TRUNCATE ON aos_trace_seals
        FOR EACH STATEMENT EXECUTE FUNCTION aos_trace_seals_append_only();

    """

    /// The same tables in SQLite, the embedded default.
    public static let sqliteTraces = """
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

    """

    public static let sqliteSeals = """
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

    """

    /// The original platform's development store (read as it is; created here for tests and the demo).
    public static let sqliteLegacy = """
    CREATE TABLE IF NOT EXISTS traces (
        run_id          TEXT PRIMARY KEY,
        correlation_id  TEXT NOT NULL,
        tenant_id       TEXT NOT NULL,
        agent_id        TEXT,
        plan            TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'running',
        started_at      TEXT NOT NULL,
        completed_at    TEXT
    );
    CREATE TABLE IF NOT EXISTS trace_steps (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id            TEXT NOT NULL REFERENCES traces (run_id),
        step_index        INTEGER NOT NULL,
        skill_name        TEXT NOT NULL,
        params            TEXT NOT NULL,
        status            TEXT NOT NULL,
        outcome_category  TEXT NOT NULL,
        outcome_code      TEXT,
        outcome_data      TEXT,
        cost_cents        REAL NOT NULL DEFAULT 0,
        duration_ms       REAL NOT NULL DEFAULT 0,
        retry_count       INTEGER NOT NULL DEFAULT 0,
        timestamp         TEXT NOT NULL,
        idempotency_key   TEXT,
        replay_behavior   TEXT,
        input_hash        TEXT,
        output_hash       TEXT,
        rng_state_before  TEXT,
        UNIQUE (run_id, step_index)
    );

    """
}
