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
