/// The DDL RunProof creates and reads, per dialect; `runproof schema` prints it (see sql/).
package enum Schema {
    /// The production tables as the platform has them (created only where missing).
    package static let postgresTraces = """
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
    package static let postgresSeals = """
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
    -- The leaf hash of every sealed step, recorded when it is sealed: locates a change (never a basis for a verdict).
    CREATE TABLE IF NOT EXISTS aos_trace_leaves (
        trace_id      text NOT NULL,
        step_index    integer NOT NULL,
        leaf          text NOT NULL,      -- hex H(0x00 || JCS(step))
        PRIMARY KEY (trace_id, step_index)
    );
    -- The closing seal of a finished trace: at most one per trace; nothing may extend the trace after it.
    CREATE TABLE IF NOT EXISTS aos_trace_closures (
        trace_id      text PRIMARY KEY,
        tenant_id     text NOT NULL,
        run_id        text NOT NULL,
        chain_length  bigint NOT NULL CHECK (chain_length > 0),
        key_id        text,
        seal          text NOT NULL,      -- the seal record, with "closed": true, JCS
        created_at    timestamptz NOT NULL DEFAULT now()
    );
    -- The tenant log (docs/chain-v1.md 10.4): one entry per closing seal of a tenant's runs, and its signed heads.
    CREATE TABLE IF NOT EXISTS aos_tenant_log (
        tenant_id     text NOT NULL,
        log_index     bigint NOT NULL,
        trace_id      text NOT NULL,
        run_id        text NOT NULL,
        entry         text NOT NULL,      -- JCS of the entry object; its leaf is H(0x00 || entry)
        PRIMARY KEY (tenant_id, log_index)
    );
    CREATE INDEX IF NOT EXISTS aos_tenant_log_trace ON aos_tenant_log (tenant_id, trace_id);
    CREATE TABLE IF NOT EXISTS aos_tenant_log_heads (
        tenant_id     text NOT NULL,
        size          bigint NOT NULL,
        root          text NOT NULL,
        frontier      text NOT NULL,
        checkpoint_signature text,        -- signed-note line of the log's checkpoint at this size
        PRIMARY KEY (tenant_id, size)
    );
    CREATE OR REPLACE FUNCTION aos_trace_seals_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % rejected', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
    END $$;
    DO $$
    DECLARE t text;
    BEGIN
        FOREACH t IN ARRAY ARRAY['aos_trace_seals', 'aos_trace_leaves', 'aos_trace_closures', 'aos_tenant_log', 'aos_tenant_log_heads'] LOOP
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_no_change', t);
            EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION aos_trace_seals_append_only()', t || '_no_change', t);
            EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_no_truncate', t);
            EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION aos_trace_seals_append_only()', t || '_no_truncate', t);
        END LOOP;
    END $$;

    """

    /// The same tables in SQLite, the embedded default.
    package static let sqliteTraces = """
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

    package static let sqliteSeals = """
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

    """

    /// The original platform's development store (read as it is; created here for tests and the demo).
    package static let sqliteLegacy = """
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
