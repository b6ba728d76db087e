extension EvidenceSchema {
    /// The platform's tables in PostgreSQL, as its migrations leave them.
    package static let postgres = """
    -- tenants (STUB) -- migrations: 036_m21_tenant_auth_billing.py
    -- (full table has 26 columns after 037/073/081; all other columns are nullable or have server defaults)
    CREATE TABLE tenants (
        id   VARCHAR(36)  NOT NULL,
        name VARCHAR(255) NOT NULL,
        slug VARCHAR(100) NOT NULL,
        CONSTRAINT tenants_pkey PRIMARY KEY (id),
        CONSTRAINT tenants_slug_key UNIQUE (slug)
    );
    -- runs (STUB) -- migrations: none create it (SQLModel create_all of app/db.py::Run); altered by 065, 073, 082, 086, 104, 105, 110, 112
    -- (all migration-added columns are nullable or have server defaults; the NOT NULL columns below
    -- have only Python-side defaults in the model; 105 also adds CHECKs + BEFORE INSERT triggers, omitted in the stub)
    CREATE TABLE runs (
        id           VARCHAR NOT NULL,
        agent_id     VARCHAR NOT NULL,
        goal         VARCHAR NOT NULL,
        status       VARCHAR NOT NULL,
        attempts     INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        priority     INTEGER NOT NULL,
        CONSTRAINT runs_pkey PRIMARY KEY (id)
    );
    -- policy_rules_legacy -- migrations: 042_m25_integration_loop.py, 043_m25_learning_proof.py, 076_policy_rules_sdsr_columns.py, 088_policy_control_plane.py
    -- (088 renames the 042-era policy_rules to policy_rules_legacy; its PK and ix_policy_rules_synthetic keep their pre-rename names)
    CREATE TABLE policy_rules_legacy (
        id                     VARCHAR(64)  NOT NULL,
        tenant_id              VARCHAR(64)  NOT NULL,
        name                   VARCHAR(255) NOT NULL,
        description            TEXT,
        rule_type              VARCHAR(32)  NOT NULL,
        conditions             JSONB        DEFAULT '{}',
        actions                JSONB        DEFAULT '{}',
        priority               INTEGER      DEFAULT 0,
        is_active              BOOLEAN      DEFAULT true,
        source_type            VARCHAR(32),
        source_pattern_id      VARCHAR(64),
        source_recovery_id     VARCHAR(64),
        source_incident_id     VARCHAR(64),
        generation_confidence  FLOAT,
        mode                   VARCHAR(32)  DEFAULT 'active',
        confirmations_required INTEGER      DEFAULT 3,
        confirmations_received INTEGER      DEFAULT 0,
        regret_count           INTEGER      DEFAULT 0,
        shadow_evaluations     INTEGER      DEFAULT 0,
        shadow_would_block     INTEGER      DEFAULT 0,
        activated_at           TIMESTAMP WITH TIME ZONE,
        created_at             TIMESTAMP WITH TIME ZONE DEFAULT now(),
        updated_at             TIMESTAMP WITH TIME ZONE DEFAULT now(),
        prevention_count       INTEGER      DEFAULT 0,                 -- 043
        last_prevention_at     TIMESTAMP WITH TIME ZONE,               -- 043
        is_synthetic           BOOLEAN      DEFAULT false,             -- 076
        synthetic_scenario_id  VARCHAR(64),                            -- 076
        CONSTRAINT policy_rules_pkey PRIMARY KEY (id)
    );
    CREATE INDEX ix_policy_rules_synthetic ON policy_rules_legacy (is_synthetic) WHERE is_synthetic = true;  -- 076
    -- incidents -- migrations: 037_m22_killswitch.py, 042_m25_integration_loop.py, 043_m25_learning_proof.py, 075_consolidate_incidents_table.py, 087_incidents_lifecycle_repair.py, 096_incidents_domain_model.py, 115_add_inflection_point_metadata.py, 123_incidents_source_run_fk.py
    CREATE TABLE incidents (
        -- 037
        id                      VARCHAR(100) NOT NULL,
        tenant_id               VARCHAR(100) NOT NULL,
        title                   VARCHAR(255) NOT NULL,
        severity                VARCHAR(20)  NOT NULL,
        status                  VARCHAR(20)  NOT NULL,          -- default 'open' is Python-side only
        trigger_type            VARCHAR(50)  NOT NULL,
        trigger_value           TEXT,
        calls_affected          INTEGER,                        -- default 0 Python-side only
        cost_delta_cents        NUMERIC(10,4),                  -- default 0 Python-side only
        error_rate              NUMERIC(5,4),
        auto_action             VARCHAR(50),
        action_details_json     TEXT,
        started_at              TIMESTAMP WITH TIME ZONE NOT NULL,
        ended_at                TIMESTAMP WITH TIME ZONE,
        duration_seconds        INTEGER,
        related_call_ids_json   TEXT,
        killswitch_id           VARCHAR(100),
        created_at              TIMESTAMP WITH TIME ZONE DEFAULT now(),
        updated_at              TIMESTAMP WITH TIME ZONE DEFAULT now(),
        resolved_at             TIMESTAMP WITH TIME ZONE,
        resolved_by             VARCHAR(100),
        -- 042
        matched_pattern_id      VARCHAR(64),
        loop_trace_id           VARCHAR(64),
        match_confidence        FLOAT,
        match_confidence_band   VARCHAR(32),
        -- 043
        prediction_was_correct  BOOLEAN,
        calibration_recorded    BOOLEAN DEFAULT false,
        -- 075
        source_run_id           TEXT,
        source_type             TEXT    DEFAULT 'killswitch',
        category                TEXT,
        description             TEXT,
        error_code              TEXT,
        error_message           TEXT,
        impact_scope            TEXT,
        affected_agent_id       TEXT,
        affected_count          INTEGER DEFAULT 1,
        resolution_notes        TEXT,
        escalated               BOOLEAN DEFAULT false,
        escalated_at            TIMESTAMP WITH TIME ZONE,
        escalated_to            TEXT,
        is_synthetic            BOOLEAN DEFAULT false,
        synthetic_scenario_id   TEXT,
        -- 087
        lifecycle_state         VARCHAR(16) NOT NULL,
        llm_run_id              VARCHAR,
        cause_type              VARCHAR(16) NOT NULL,
        -- 096
        resolution_method       VARCHAR(20),
        cost_impact             NUMERIC(12,2),
        -- 115
        inflection_step_index   INTEGER,
        inflection_timestamp    TIMESTAMP WITH TIME ZONE,
        inflection_context_json TEXT,
        CONSTRAINT incidents_pkey PRIMARY KEY (id),
        CONSTRAINT ck_incidents_lifecycle_state CHECK (lifecycle_state IN ('ACTIVE','ACKED','RESOLVED')),
        CONSTRAINT ck_incidents_cause_type CHECK (cause_type IN ('LLM_RUN','SYSTEM','HUMAN')),
        CONSTRAINT fk_incidents_llm_run_id FOREIGN KEY (llm_run_id) REFERENCES runs (id) ON DELETE SET NULL
    );
    -- 123: added NOT VALID (legacy rows not checked; enforced for new rows)
    ALTER TABLE incidents
        ADD CONSTRAINT fk_incidents_source_run_id FOREIGN KEY (source_run_id) REFERENCES runs (id) NOT VALID;
    CREATE INDEX ix_incidents_tenant_id ON incidents (tenant_id);                                     -- 037 (Column index=True)
    CREATE INDEX ix_incidents_tenant_status ON incidents (tenant_id, status);                          -- 037
    CREATE INDEX ix_incidents_tenant_time ON incidents (tenant_id, created_at);                        -- 037
    CREATE INDEX idx_incidents_source_run_id ON incidents (source_run_id) WHERE source_run_id IS NOT NULL;   -- 075
    CREATE INDEX idx_incidents_synthetic ON incidents (is_synthetic, synthetic_scenario_id) WHERE is_synthetic = true;  -- 075
    CREATE INDEX idx_incidents_source_type ON incidents (source_type);                                -- 075
    CREATE INDEX idx_incidents_tenant_lifecycle ON incidents (tenant_id, lifecycle_state);            -- 087
    CREATE INDEX idx_incidents_tenant_severity ON incidents (tenant_id, severity);                     -- 087 (096 IF NOT EXISTS: no-op)
    CREATE INDEX idx_incidents_llm_run ON incidents (llm_run_id);                                     -- 087
    CREATE INDEX idx_incidents_created_at ON incidents (created_at);                                  -- 087
    CREATE INDEX idx_incidents_tenant_status ON incidents (tenant_id, status);                        -- 096
    CREATE INDEX idx_incidents_tenant_category ON incidents (tenant_id, category);                    -- 096
    CREATE INDEX idx_incidents_tenant_created ON incidents (tenant_id, created_at);                   -- 096
    CREATE INDEX idx_incidents_resolution ON incidents (tenant_id, resolution_method) WHERE resolution_method IS NOT NULL;  -- 096
    CREATE INDEX idx_incidents_cost_impact ON incidents (tenant_id, cost_impact) WHERE cost_impact IS NOT NULL;             -- 096
    CREATE INDEX ix_incidents_inflection_timestamp ON incidents (inflection_timestamp);               -- 115
    COMMENT ON COLUMN incidents.source_run_id IS 'Run ID that triggered this incident (SDSR)';
    COMMENT ON COLUMN incidents.source_type IS 'Source type: run, killswitch, policy, manual';
    COMMENT ON COLUMN incidents.category IS 'EXECUTION_FAILURE, POLICY_VIOLATION, LOOP_DETECTED, etc.';
    COMMENT ON COLUMN incidents.description IS 'Detailed description of the incident';
    COMMENT ON COLUMN incidents.error_code IS 'Error code e.g. EXECUTION_TIMEOUT';
    COMMENT ON COLUMN incidents.error_message IS 'Full error message from source';
    COMMENT ON COLUMN incidents.impact_scope IS 'Impact: single_run, agent, tenant, system';
    COMMENT ON COLUMN incidents.affected_agent_id IS 'Agent ID affected by incident';
    COMMENT ON COLUMN incidents.affected_count IS 'Number of affected runs/entities';
    COMMENT ON COLUMN incidents.resolution_notes IS 'Notes on how incident was resolved';
    COMMENT ON COLUMN incidents.escalated IS 'Whether incident was escalated';
    COMMENT ON COLUMN incidents.escalated_to IS 'Who was escalated to';
    COMMENT ON COLUMN incidents.is_synthetic IS 'SDSR: True if created during synthetic scenario';
    COMMENT ON COLUMN incidents.synthetic_scenario_id IS 'SDSR: Scenario ID for traceability';
    COMMENT ON COLUMN incidents.resolution_method IS 'auto, manual, rollback';
    COMMENT ON COLUMN incidents.cost_impact IS 'USD impact, null if unknown';
    COMMENT ON COLUMN incidents.inflection_step_index IS 'Step index where incident was triggered (GAP-024)';
    COMMENT ON COLUMN incidents.inflection_timestamp IS 'Exact timestamp when inflection was detected (GAP-024)';
    COMMENT ON COLUMN incidents.inflection_context_json IS 'JSON context about what was happening at inflection (GAP-024)';
    -- prevention_records -- migrations: 043_m25_learning_proof.py, 044_m25_graduation_hardening.py, 077_prevention_records_sdsr.py, 079_sdsr_column_parity.py, 124_prevention_records_run_id.py
    -- (no foreign keys; policy_id / run_id / *_incident_id are plain strings)
    CREATE TABLE prevention_records (
        id                         VARCHAR(64) NOT NULL,
        policy_id                  VARCHAR(64) NOT NULL,
        pattern_id                 VARCHAR(64) NOT NULL,
        original_incident_id       VARCHAR(64) NOT NULL,
        blocked_incident_id        VARCHAR(64) NOT NULL,
        tenant_id                  VARCHAR(64) NOT NULL,
        outcome                    VARCHAR(32) NOT NULL,
        signature_match_confidence FLOAT       NOT NULL,
        policy_age_seconds         INTEGER,
        calls_evaluated            INTEGER DEFAULT 0,
        created_at                 TIMESTAMP WITH TIME ZONE DEFAULT now(),
        is_simulated               BOOLEAN DEFAULT false,               -- 044
        synthetic_scenario_id      VARCHAR(64),                         -- 077
        is_synthetic               BOOLEAN NOT NULL DEFAULT false,      -- 079
        run_id                     VARCHAR(64),                         -- 124
        CONSTRAINT prevention_records_pkey PRIMARY KEY (id)
    );
    CREATE INDEX idx_prevention_policy ON prevention_records (policy_id);                              -- 043
    CREATE INDEX idx_prevention_pattern ON prevention_records (pattern_id);                            -- 043
    CREATE INDEX idx_prevention_tenant ON prevention_records (tenant_id, created_at);                  -- 043
    CREATE INDEX ix_prevention_records_scenario ON prevention_records (synthetic_scenario_id) WHERE synthetic_scenario_id IS NOT NULL;  -- 077
    CREATE INDEX ix_prevention_records_sdsr ON prevention_records (is_synthetic, synthetic_scenario_id);  -- 079
    CREATE INDEX ix_prevention_records_run_id ON prevention_records (run_id);                          -- 124
    -- policy_rules -- migrations: 088_policy_control_plane.py, 089_policy_rule_integrity_and_indexes.py, 099_policy_rules_rule_type.py
    -- (PK is named policy_rules_pkey1 because policy_rules_pkey still belongs to the renamed policy_rules_legacy table)
    CREATE TABLE policy_rules (
        id                 VARCHAR      NOT NULL,
        tenant_id          VARCHAR      NOT NULL,
        name               VARCHAR(256) NOT NULL,
        description        TEXT,
        enforcement_mode   VARCHAR(16)  NOT NULL,
        scope              VARCHAR(16)  NOT NULL,
        scope_id           VARCHAR,
        conditions         JSON,
        status             VARCHAR(16)  NOT NULL DEFAULT 'ACTIVE',
        created_by         VARCHAR,
        source             VARCHAR(16)  NOT NULL DEFAULT 'MANUAL',
        source_proposal_id VARCHAR,
        parent_rule_id     VARCHAR,
        legacy_rule_id     VARCHAR,
        retired_at         TIMESTAMP WITH TIME ZONE,
        retired_by         VARCHAR,
        retirement_reason  TEXT,
        superseded_by      VARCHAR,
        created_at         TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        updated_at         TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        rule_type          VARCHAR(16)  NOT NULL DEFAULT 'SYSTEM',     -- 099
        CONSTRAINT policy_rules_pkey1 PRIMARY KEY (id),
        CONSTRAINT ck_policy_rules_enforcement_mode CHECK (enforcement_mode IN ('BLOCK','WARN','AUDIT','DISABLED')),
        CONSTRAINT ck_policy_rules_scope CHECK (scope IN ('GLOBAL','TENANT','PROJECT','AGENT')),
        CONSTRAINT ck_policy_rules_status CHECK (status IN ('ACTIVE','RETIRED')),
        CONSTRAINT ck_policy_rules_source CHECK (source IN ('MANUAL','SYSTEM','LEARNED')),
        CONSTRAINT ck_policy_rules_rule_type CHECK (rule_type IN ('SYSTEM', 'SAFETY', 'ETHICAL', 'TEMPORAL')),
        CONSTRAINT fk_policy_rules_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT fk_policy_rules_parent FOREIGN KEY (parent_rule_id) REFERENCES policy_rules (id) ON DELETE SET NULL,
        CONSTRAINT fk_policy_rules_superseded_by FOREIGN KEY (superseded_by) REFERENCES policy_rules (id) ON DELETE SET NULL,
        CONSTRAINT fk_policy_rules_legacy FOREIGN KEY (legacy_rule_id) REFERENCES policy_rules_legacy (id) ON DELETE SET NULL
    );
    CREATE INDEX idx_policy_rules_tenant_status ON policy_rules (tenant_id, status);                   -- 088
    CREATE INDEX idx_policy_rules_tenant_scope ON policy_rules (tenant_id, scope);                     -- 088
    CREATE INDEX idx_policy_rules_enforcement_mode ON policy_rules (enforcement_mode);                 -- 088
    CREATE INDEX idx_policy_rules_created_at ON policy_rules (created_at);                             -- 088
    CREATE INDEX idx_policy_rules_source ON policy_rules (source);                                     -- 089
    CREATE INDEX ix_policy_rules_rule_type ON policy_rules (rule_type);                                -- 099
    -- policy_rule_integrity (support) -- migrations: 089_policy_rule_integrity_and_indexes.py
    CREATE TABLE policy_rule_integrity (
        id               VARCHAR      NOT NULL,
        rule_id          VARCHAR      NOT NULL,
        integrity_status VARCHAR(16)  NOT NULL,
        integrity_score  NUMERIC(4,3) NOT NULL,
        hash_root        TEXT         NOT NULL,
        details          JSONB,
        computed_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT policy_rule_integrity_pkey PRIMARY KEY (id),
        CONSTRAINT policy_rule_integrity_rule_id_key UNIQUE (rule_id),
        CONSTRAINT policy_rule_integrity_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES policy_rules (id) ON DELETE CASCADE,
        CONSTRAINT ck_policy_rule_integrity_status CHECK (integrity_status IN ('VERIFIED', 'DEGRADED', 'FAILED'))
    );
    CREATE INDEX idx_policy_rule_integrity_status ON policy_rule_integrity (integrity_status);
    CREATE INDEX idx_policy_rule_integrity_computed_at ON policy_rule_integrity (computed_at);
    -- limits -- migrations: 088_policy_control_plane.py, 090_limit_integrity_and_indexes.py, 106_threshold_params.py
    CREATE TABLE limits (
        id                         VARCHAR       NOT NULL,
        tenant_id                  VARCHAR       NOT NULL,
        name                       VARCHAR(256)  NOT NULL,
        description                TEXT,
        limit_category             VARCHAR(16)   NOT NULL,
        limit_type                 VARCHAR(32)   NOT NULL,
        scope                      VARCHAR(16)   NOT NULL,
        scope_id                   VARCHAR,
        max_value                  NUMERIC(18,4) NOT NULL,
        reset_period               VARCHAR(16),
        next_reset_at              TIMESTAMP WITH TIME ZONE,
        window_seconds             INTEGER,
        measurement_window_seconds INTEGER,
        enforcement                VARCHAR(16)   NOT NULL DEFAULT 'BLOCK',
        consequence                VARCHAR(16),
        status                     VARCHAR(16)   NOT NULL DEFAULT 'ACTIVE',
        created_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        params                     JSONB         NOT NULL DEFAULT '{}',      -- 106
        CONSTRAINT limits_pkey PRIMARY KEY (id),
        CONSTRAINT ck_limits_category CHECK (limit_category IN ('BUDGET','RATE','THRESHOLD')),
        CONSTRAINT ck_limits_scope CHECK (scope IN ('GLOBAL','TENANT','PROJECT','AGENT','PROVIDER')),
        CONSTRAINT ck_limits_reset_period CHECK (reset_period IS NULL OR reset_period IN ('DAILY','WEEKLY','MONTHLY','NONE')),
        CONSTRAINT ck_limits_enforcement CHECK (enforcement IN ('BLOCK','WARN','REJECT','QUEUE','DEGRADE','ALERT')),
        CONSTRAINT ck_limits_consequence CHECK (consequence IS NULL OR consequence IN ('ALERT','INCIDENT','ABORT')),
        CONSTRAINT ck_limits_status CHECK (status IN ('ACTIVE','DISABLED')),
        CONSTRAINT fk_limits_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
    );
    CREATE INDEX idx_limits_tenant_category ON limits (tenant_id, limit_category);                     -- 088
    CREATE INDEX idx_limits_tenant_scope ON limits (tenant_id, scope);                                 -- 088
    CREATE INDEX idx_limits_tenant_status ON limits (tenant_id, status);                               -- 088 (090 IF NOT EXISTS: no-op)
    CREATE INDEX idx_limits_category ON limits (limit_category);                                       -- 090
    CREATE INDEX idx_limits_scope ON limits (scope);                                                   -- 090
    CREATE INDEX idx_limits_category_threshold ON limits (tenant_id, limit_category)
        WHERE limit_category = 'THRESHOLD' AND status = 'ACTIVE';                                      -- 106
    CREATE INDEX idx_limits_scope_resolution ON limits (tenant_id, scope, scope_id, limit_category)
        WHERE status = 'ACTIVE';                                                                       -- 106
    COMMENT ON COLUMN limits.params IS 'Threshold configuration params (JSONB)';
    -- limit_integrity (support) -- migrations: 090_limit_integrity_and_indexes.py
    CREATE TABLE limit_integrity (
        id               VARCHAR      NOT NULL,
        limit_id         VARCHAR      NOT NULL,
        integrity_status VARCHAR(16)  NOT NULL,
        integrity_score  NUMERIC(5,4) NOT NULL,
        computed_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT limit_integrity_pkey PRIMARY KEY (id),
        CONSTRAINT limit_integrity_limit_id_key UNIQUE (limit_id),
        CONSTRAINT limit_integrity_limit_id_fkey FOREIGN KEY (limit_id) REFERENCES limits (id) ON DELETE CASCADE,
        CONSTRAINT ck_limit_integrity_status CHECK (integrity_status IN ('VERIFIED', 'DEGRADED', 'FAILED')),
        CONSTRAINT ck_limit_integrity_score_range CHECK (integrity_score >= 0 AND integrity_score <= 1)
    );
    CREATE INDEX idx_limit_integrity_status ON limit_integrity (integrity_status);
    CREATE INDEX idx_limit_integrity_computed_at ON limit_integrity (computed_at);
    -- limit_breaches -- migrations: 088_policy_control_plane.py, 090_limit_integrity_and_indexes.py (108_limit_breaches_evaluation_type.py is a no-op placeholder)
    CREATE TABLE limit_breaches (
        id              VARCHAR       NOT NULL,
        tenant_id       VARCHAR       NOT NULL,
        limit_id        VARCHAR       NOT NULL,
        run_id          VARCHAR,
        incident_id     VARCHAR,
        breach_type     VARCHAR(16)   NOT NULL,
        value_at_breach NUMERIC(18,4),
        limit_value     NUMERIC(18,4) NOT NULL,
        details         JSON,
        breached_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        recovered_at    TIMESTAMP WITH TIME ZONE,
        CONSTRAINT limit_breaches_pkey PRIMARY KEY (id),
        CONSTRAINT ck_limit_breaches_type CHECK (breach_type IN ('BREACHED','EXHAUSTED','THROTTLED','VIOLATED')),
        CONSTRAINT fk_limit_breaches_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT fk_limit_breaches_limit FOREIGN KEY (limit_id) REFERENCES limits (id) ON DELETE CASCADE,
        CONSTRAINT fk_limit_breaches_run FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE SET NULL,
        CONSTRAINT fk_limit_breaches_incident FOREIGN KEY (incident_id) REFERENCES incidents (id) ON DELETE SET NULL
    );
    CREATE INDEX idx_limit_breaches_limit_id ON limit_breaches (limit_id);                             -- 088
    CREATE INDEX idx_limit_breaches_tenant_breached ON limit_breaches (tenant_id, breached_at);        -- 088
    CREATE INDEX idx_limit_breaches_limit_breached ON limit_breaches (limit_id, breached_at);          -- 090
    -- audit_ledger -- migrations: 091_decisions_and_audit_ledger.py, 109_logs_domain_v2.py
    -- (109's "CREATE INDEX IF NOT EXISTS idx_audit_ledger_tenant_created ... created_at DESC" is a
    -- no-op because 091 already created that name ascending)
    CREATE TABLE audit_ledger (
        id             VARCHAR(64) NOT NULL,
        tenant_id      VARCHAR(64) NOT NULL,
        event_type     VARCHAR(64) NOT NULL,
        entity_type    VARCHAR(32) NOT NULL,
        entity_id      VARCHAR(64) NOT NULL,
        actor_type     VARCHAR(16) NOT NULL,
        actor_id       VARCHAR(64),
        action_reason  TEXT,
        before_state   JSONB,
        after_state    JSONB,
        created_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        correlation_id VARCHAR(64),                                     -- 109
        CONSTRAINT audit_ledger_pkey PRIMARY KEY (id),
        CONSTRAINT audit_ledger_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_audit_ledger_actor_type CHECK (actor_type IN ('HUMAN', 'SYSTEM', 'AGENT'))
    );
    CREATE INDEX idx_audit_ledger_tenant_created ON audit_ledger (tenant_id, created_at);
    CREATE INDEX idx_audit_ledger_event_type ON audit_ledger (tenant_id, event_type);
    CREATE INDEX idx_audit_ledger_entity ON audit_ledger (entity_type, entity_id);
    CREATE INDEX idx_audit_ledger_actor ON audit_ledger (tenant_id, actor_type, actor_id);
    -- 089: every ACTIVE policy_rule must have an integrity row (plain AFTER ROW trigger, not deferrable)
    CREATE OR REPLACE FUNCTION enforce_policy_rule_integrity()
    RETURNS trigger AS $$
    BEGIN
        IF NEW.status = 'ACTIVE' THEN
            IF NOT EXISTS (
                SELECT 1
                FROM policy_rule_integrity pri
                WHERE pri.rule_id = NEW.id
            ) THEN
                RAISE EXCEPTION
                    'ACTIVE policy_rule % must have integrity row',
                    NEW.id;
            END IF;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER trg_policy_rule_integrity_required
    AFTER INSERT OR UPDATE OF status
    ON policy_rules
    FOR EACH ROW
    EXECUTE FUNCTION enforce_policy_rule_integrity();
    -- 090: every ACTIVE limit must have an integrity row
    CREATE OR REPLACE FUNCTION enforce_limit_integrity()
    RETURNS trigger AS $$
    BEGIN
        IF NEW.status = 'ACTIVE' THEN
            IF NOT EXISTS (
                SELECT 1
                FROM limit_integrity
                WHERE limit_id = NEW.id
            ) THEN
                RAISE EXCEPTION
                    'ACTIVE limit % must have exactly one integrity row',
                    NEW.id;
            END IF;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER trg_enforce_limit_integrity
    AFTER INSERT OR UPDATE OF status
    ON limits
    FOR EACH ROW
    EXECUTE FUNCTION enforce_limit_integrity();
    -- 091: audit_ledger is append-only
    CREATE OR REPLACE FUNCTION prevent_audit_ledger_mutation()
    RETURNS TRIGGER AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit_ledger is immutable: UPDATE not allowed';
        ELSIF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'audit_ledger is immutable: DELETE not allowed';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER trg_audit_ledger_immutable
    BEFORE UPDATE OR DELETE ON audit_ledger
    FOR EACH ROW
    EXECUTE FUNCTION prevent_audit_ledger_mutation();

    """
}
