extension EvidenceSchema {
    /// The same tables in SQLite types.
    package static let sqlite = """
    -- tenants (STUB) -- migrations: 036_m21_tenant_auth_billing.py
    -- (full table has 26 columns after 037/073/081; all other columns are nullable or have server defaults)
    CREATE TABLE tenants (
        id   TEXT  NOT NULL,
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        CONSTRAINT tenants_pkey PRIMARY KEY (id),
        CONSTRAINT tenants_slug_key UNIQUE (slug)
    );
    -- runs (STUB) -- migrations: none create it (SQLModel create_all of app/db.py::Run); altered by 065, 073, 082, 086, 104, 105, 110, 112
    -- (all migration-added columns are nullable or have server defaults; the NOT NULL columns below
    -- have only Python-side defaults in the model; 105 also adds CHECKs + BEFORE INSERT triggers, omitted in the stub)
    CREATE TABLE runs (
        id           TEXT NOT NULL,
        agent_id     TEXT NOT NULL,
        goal         TEXT NOT NULL,
        status       TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        priority     INTEGER NOT NULL,
        CONSTRAINT runs_pkey PRIMARY KEY (id)
    );
    -- policy_rules_legacy -- migrations: 042_m25_integration_loop.py, 043_m25_learning_proof.py, 076_policy_rules_sdsr_columns.py, 088_policy_control_plane.py
    -- (088 renames the 042-era policy_rules to policy_rules_legacy; its PK and ix_policy_rules_synthetic keep their pre-rename names)
    CREATE TABLE policy_rules_legacy (
        id                     TEXT  NOT NULL,
        tenant_id              TEXT  NOT NULL,
        name                   TEXT NOT NULL,
        description            TEXT,
        rule_type              TEXT  NOT NULL,
        conditions             TEXT        DEFAULT '{}',
        actions                TEXT        DEFAULT '{}',
        priority               INTEGER      DEFAULT 0,
        is_active              INTEGER      DEFAULT 1,
        source_type            TEXT,
        source_pattern_id      TEXT,
        source_recovery_id     TEXT,
        source_incident_id     TEXT,
        generation_confidence  REAL,
        mode                   TEXT  DEFAULT 'active',
        confirmations_required INTEGER      DEFAULT 3,
        confirmations_received INTEGER      DEFAULT 0,
        regret_count           INTEGER      DEFAULT 0,
        shadow_evaluations     INTEGER      DEFAULT 0,
        shadow_would_block     INTEGER      DEFAULT 0,
        activated_at           TEXT,
        created_at             TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        updated_at             TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        prevention_count       INTEGER      DEFAULT 0,                 -- 043
        last_prevention_at     TEXT,               -- 043
        is_synthetic           INTEGER      DEFAULT 0,             -- 076
        synthetic_scenario_id  TEXT,                            -- 076
        CONSTRAINT policy_rules_pkey PRIMARY KEY (id)
    );
    CREATE INDEX ix_policy_rules_synthetic ON policy_rules_legacy (is_synthetic) WHERE is_synthetic = true;  -- 076
    -- incidents -- migrations: 037_m22_killswitch.py, 042_m25_integration_loop.py, 043_m25_learning_proof.py, 075_consolidate_incidents_table.py, 087_incidents_lifecycle_repair.py, 096_incidents_domain_model.py, 115_add_inflection_point_metadata.py, 123_incidents_source_run_fk.py
    CREATE TABLE incidents (
        -- 037
        id                      TEXT NOT NULL,
        tenant_id               TEXT NOT NULL,
        title                   TEXT NOT NULL,
        severity                TEXT  NOT NULL,
        status                  TEXT  NOT NULL,          -- default 'open' is Python-side only
        trigger_type            TEXT  NOT NULL,
        trigger_value           TEXT,
        calls_affected          INTEGER,                        -- default 0 Python-side only
        cost_delta_cents        NUMERIC,                  -- default 0 Python-side only
        error_rate              NUMERIC,
        auto_action             TEXT,
        action_details_json     TEXT,
        started_at              TEXT NOT NULL,
        ended_at                TEXT,
        duration_seconds        INTEGER,
        related_call_ids_json   TEXT,
        killswitch_id           TEXT,
        created_at              TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        updated_at              TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        resolved_at             TEXT,
        resolved_by             TEXT,
        -- 042
        matched_pattern_id      TEXT,
        loop_trace_id           TEXT,
        match_confidence        REAL,
        match_confidence_band   TEXT,
        -- 043
        prediction_was_correct  INTEGER,
        calibration_recorded    INTEGER DEFAULT 0,
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
        escalated               INTEGER DEFAULT 0,
        escalated_at            TEXT,
        escalated_to            TEXT,
        is_synthetic            INTEGER DEFAULT 0,
        synthetic_scenario_id   TEXT,
        -- 087
        lifecycle_state         TEXT NOT NULL,
        llm_run_id              TEXT,
        cause_type              TEXT NOT NULL,
        -- 096
        resolution_method       TEXT,
        cost_impact             NUMERIC,
        -- 115
        inflection_step_index   INTEGER,
        inflection_timestamp    TEXT,
        inflection_context_json TEXT,
        CONSTRAINT incidents_pkey PRIMARY KEY (id),
        CONSTRAINT ck_incidents_lifecycle_state CHECK (lifecycle_state IN ('ACTIVE','ACKED','RESOLVED')),
        CONSTRAINT ck_incidents_cause_type CHECK (cause_type IN ('LLM_RUN','SYSTEM','HUMAN')),
        CONSTRAINT fk_incidents_llm_run_id FOREIGN KEY (llm_run_id) REFERENCES runs (id) ON DELETE SET NULL,
        -- 123 (NOT VALID in PostgreSQL: enforced for new rows)
        CONSTRAINT fk_incidents_source_run_id FOREIGN KEY (source_run_id) REFERENCES runs (id)
    );
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
    -- prevention_records -- migrations: 043_m25_learning_proof.py, 044_m25_graduation_hardening.py, 077_prevention_records_sdsr.py, 079_sdsr_column_parity.py, 124_prevention_records_run_id.py
    -- (no foreign keys; policy_id / run_id / *_incident_id are plain strings)
    CREATE TABLE prevention_records (
        id                         TEXT NOT NULL,
        policy_id                  TEXT NOT NULL,
        pattern_id                 TEXT NOT NULL,
        original_incident_id       TEXT NOT NULL,
        blocked_incident_id        TEXT NOT NULL,
        tenant_id                  TEXT NOT NULL,
        outcome                    TEXT NOT NULL,
        signature_match_confidence REAL       NOT NULL,
        policy_age_seconds         INTEGER,
        calls_evaluated            INTEGER DEFAULT 0,
        created_at                 TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        is_simulated               INTEGER DEFAULT 0,               -- 044
        synthetic_scenario_id      TEXT,                         -- 077
        is_synthetic               INTEGER NOT NULL DEFAULT 0,      -- 079
        run_id                     TEXT,                         -- 124
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
        id                 TEXT      NOT NULL,
        tenant_id          TEXT      NOT NULL,
        name               TEXT NOT NULL,
        description        TEXT,
        enforcement_mode   TEXT  NOT NULL,
        scope              TEXT  NOT NULL,
        scope_id           TEXT,
        conditions         TEXT,
        status             TEXT  NOT NULL DEFAULT 'ACTIVE',
        created_by         TEXT,
        source             TEXT  NOT NULL DEFAULT 'MANUAL',
        source_proposal_id TEXT,
        parent_rule_id     TEXT,
        legacy_rule_id     TEXT,
        retired_at         TEXT,
        retired_by         TEXT,
        retirement_reason  TEXT,
        superseded_by      TEXT,
        created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        rule_type          TEXT  NOT NULL DEFAULT 'SYSTEM',     -- 099
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
        id               TEXT      NOT NULL,
        rule_id          TEXT      NOT NULL,
        integrity_status TEXT  NOT NULL,
        integrity_score  NUMERIC NOT NULL,
        hash_root        TEXT         NOT NULL,
        details          TEXT,
        computed_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        CONSTRAINT policy_rule_integrity_pkey PRIMARY KEY (id),
        CONSTRAINT policy_rule_integrity_rule_id_key UNIQUE (rule_id),
        CONSTRAINT policy_rule_integrity_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES policy_rules (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_policy_rule_integrity_status CHECK (integrity_status IN ('VERIFIED', 'DEGRADED', 'FAILED'))
    );
    CREATE INDEX idx_policy_rule_integrity_status ON policy_rule_integrity (integrity_status);
    CREATE INDEX idx_policy_rule_integrity_computed_at ON policy_rule_integrity (computed_at);
    -- limits -- migrations: 088_policy_control_plane.py, 090_limit_integrity_and_indexes.py, 106_threshold_params.py
    CREATE TABLE limits (
        id                         TEXT       NOT NULL,
        tenant_id                  TEXT       NOT NULL,
        name                       TEXT  NOT NULL,
        description                TEXT,
        limit_category             TEXT   NOT NULL,
        limit_type                 TEXT   NOT NULL,
        scope                      TEXT   NOT NULL,
        scope_id                   TEXT,
        max_value                  NUMERIC NOT NULL,
        reset_period               TEXT,
        next_reset_at              TEXT,
        window_seconds             INTEGER,
        measurement_window_seconds INTEGER,
        enforcement                TEXT   NOT NULL DEFAULT 'BLOCK',
        consequence                TEXT,
        status                     TEXT   NOT NULL DEFAULT 'ACTIVE',
        created_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        updated_at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        params                     TEXT         NOT NULL DEFAULT '{}',      -- 106
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
    -- limit_integrity (support) -- migrations: 090_limit_integrity_and_indexes.py
    CREATE TABLE limit_integrity (
        id               TEXT      NOT NULL,
        limit_id         TEXT      NOT NULL,
        integrity_status TEXT  NOT NULL,
        integrity_score  NUMERIC NOT NULL,
        computed_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        CONSTRAINT limit_integrity_pkey PRIMARY KEY (id),
        CONSTRAINT limit_integrity_limit_id_key UNIQUE (limit_id),
        CONSTRAINT limit_integrity_limit_id_fkey FOREIGN KEY (limit_id) REFERENCES limits (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_limit_integrity_status CHECK (integrity_status IN ('VERIFIED', 'DEGRADED', 'FAILED')),
        CONSTRAINT ck_limit_integrity_score_range CHECK (integrity_score >= 0 AND integrity_score <= 1)
    );
    CREATE INDEX idx_limit_integrity_status ON limit_integrity (integrity_status);
    CREATE INDEX idx_limit_integrity_computed_at ON limit_integrity (computed_at);
    -- limit_breaches -- migrations: 088_policy_control_plane.py, 090_limit_integrity_and_indexes.py (108_limit_breaches_evaluation_type.py is a no-op placeholder)
    CREATE TABLE limit_breaches (
        id              TEXT       NOT NULL,
        tenant_id       TEXT       NOT NULL,
        limit_id        TEXT       NOT NULL,
        run_id          TEXT,
        incident_id     TEXT,
        breach_type     TEXT   NOT NULL,
        value_at_breach NUMERIC,
        limit_value     NUMERIC NOT NULL,
        details         TEXT,
        breached_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        recovered_at    TEXT,
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
        id             TEXT NOT NULL,
        tenant_id      TEXT NOT NULL,
        event_type     TEXT NOT NULL,
        entity_type    TEXT NOT NULL,
        entity_id      TEXT NOT NULL,
        actor_type     TEXT NOT NULL,
        actor_id       TEXT,
        action_reason  TEXT,
        before_state   TEXT,
        after_state    TEXT,
        created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'),
        correlation_id TEXT,                                     -- 109
        CONSTRAINT audit_ledger_pkey PRIMARY KEY (id),
        CONSTRAINT audit_ledger_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_audit_ledger_actor_type CHECK (actor_type IN ('HUMAN', 'SYSTEM', 'AGENT'))
    );
    CREATE INDEX idx_audit_ledger_tenant_created ON audit_ledger (tenant_id, created_at);
    CREATE INDEX idx_audit_ledger_event_type ON audit_ledger (tenant_id, event_type);
    CREATE INDEX idx_audit_ledger_entity ON audit_ledger (entity_type, entity_id);
    CREATE INDEX idx_audit_ledger_actor ON audit_ledger (tenant_id, actor_type, actor_id);
    -- 089 / 090 as SQLite triggers: an ACTIVE rule or limit needs its integrity row, written first in the same
    -- transaction (the integrity rows' foreign keys are deferred for that; PostgreSQL writes both in one statement)
    CREATE TRIGGER trg_policy_rule_integrity_required AFTER INSERT ON policy_rules
    WHEN NEW.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM policy_rule_integrity pri WHERE pri.rule_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ACTIVE policy_rule must have integrity row'); END;
    CREATE TRIGGER trg_policy_rule_integrity_required_on_update AFTER UPDATE OF status ON policy_rules
    WHEN NEW.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM policy_rule_integrity pri WHERE pri.rule_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ACTIVE policy_rule must have integrity row'); END;
    CREATE TRIGGER trg_enforce_limit_integrity AFTER INSERT ON limits
    WHEN NEW.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM limit_integrity WHERE limit_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ACTIVE limit must have exactly one integrity row'); END;
    CREATE TRIGGER trg_enforce_limit_integrity_on_update AFTER UPDATE OF status ON limits
    WHEN NEW.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM limit_integrity WHERE limit_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'ACTIVE limit must have exactly one integrity row'); END;
    -- 091: audit_ledger is append-only
    CREATE TRIGGER trg_audit_ledger_immutable_update BEFORE UPDATE ON audit_ledger
    BEGIN SELECT RAISE(ABORT, 'audit_ledger is immutable: UPDATE not allowed'); END;
    CREATE TRIGGER trg_audit_ledger_immutable_delete BEFORE DELETE ON audit_ledger
    BEGIN SELECT RAISE(ABORT, 'audit_ledger is immutable: DELETE not allowed'); END;

    """
}
