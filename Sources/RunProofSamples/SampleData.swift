import RunProofCore
import RunProofStore

/// Sample traces written through plain parameterised SQL, as an agent platform would write them.
public enum SampleData {
    /// Inserts a trace row (into `traces` for the legacy store, where trace_id = run_id).
    public static func insertTrace(_ store: any TraceStore, trace: String, run: String, tenant: String,
                                   startedAt: String = "2026-01-01T00:00:00.000000Z") throws {
        if (store as? SQLiteStore)?.isLegacy == true {
            try store.execute("""
                INSERT INTO traces (run_id, correlation_id, tenant_id, agent_id, plan, started_at) VALUES ($1, $2, $3, $4, $5, $6)
                """, [run, "corr-\(run)", tenant, "agent-demo", #"{"goal": "answer the question", "steps": ["search", "summarize"]}"#, startedAt])
        } else {
            try store.execute("""
                INSERT INTO aos_traces (trace_id, run_id, tenant_id, correlation_id, agent_id, plan, started_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [trace, run, tenant, "corr-\(run)", "agent-demo", #"{"goal": "answer the question", "steps": ["search", "summarize"]}"#, startedAt])
        }
    }

    /// Inserts steps `range` of a trace with varied, realistic values.
    package static func insertSteps(_ store: any TraceStore, trace: String, _ range: Range<Int>) throws {
        let legacy = (store as? SQLiteStore)?.isLegacy == true
        let skills = ["search", "fetch_page", "summarize", "policy_check", "answer"]
        for i in range {
            let skill = skills[i % skills.count]
            let params = #"{"query": "step \#(i) of \#(trace)", "top_k": \#(i % 7 + 1), "threshold": 0.\#(i % 9 + 1)5}"#
            let data = #"{"tokens": \#(100 + i * 3), "ok": true, "cost": \#(Double(i) * 0.1)}"#
            let timestamp = Timestamp.format(epochSeconds: 1_767_225_600 + i, micros: (i * 137) % 1_000_000)
            let common: [String?] = [String(i), skill, params, "completed", "SUCCESS", nil, data,
                                     String(Double(i) * 1.25), String(Double(i % 50) + 0.5), "0", timestamp, "idem-\(trace)-\(i)",
                                     "execute", "in-\(i)", "out-\(i)", nil]
            if legacy {
                try store.execute("""
                    INSERT INTO trace_steps (run_id, step_index, skill_name, params, status, outcome_category, outcome_code,
                        outcome_data, cost_cents, duration_ms, retry_count, timestamp, idempotency_key, replay_behavior,
                        input_hash, output_hash, rng_state_before)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                    """, [trace] + common)
            } else {
                try store.execute("""
                    INSERT INTO aos_trace_steps (trace_id, step_index, skill_name, params, status, outcome_category, outcome_code,
                        outcome_data, cost_cents, duration_ms, retry_count, "timestamp", idempotency_key, replay_behavior,
                        input_hash, output_hash, rng_state_before, skill_id, source, level)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
                    """, [trace] + common + ["skill-\(skill)", "agent-runtime", "INFO"])
            }
        }
    }

    /// The steps table and its trace column in this store's layout.
    package static func stepsTable(_ store: any TraceStore) -> (table: String, traceColumn: String) {
        (store as? SQLiteStore)?.isLegacy == true ? ("trace_steps", "run_id") : ("aos_trace_steps", "trace_id")
    }
}

extension SampleData {
    /// The header of the synthetic trace (`runproof sample`, `runproof bench`).
    package static let syntheticHeader = TraceHeader(
        tenantId: "tenant-sample", runId: "run-sample", traceId: "trace-sample", correlationId: "corr-sample",
        agentId: "agent-sample", plan: ["goal": "sample"], startedAt: "2026-01-01T00:00:00.000000Z")

    /// Step `i` of the synthetic trace, canonical.
    package static func syntheticStep(_ i: Int) -> [UInt8] {
        let step: JSONValue = [
            "cost_cents": .number(Double(i % 100) * 0.25), "duration_ms": .number(Double(i % 1000) + 0.5),
            "idempotency_key": .string("idem-\(i)"), "input_hash": nil, "level": "INFO", "outcome_category": "SUCCESS",
            "outcome_code": nil, "outcome_data": ["rows": JSONValue(i % 50), "ok": true], "output_hash": nil,
            "params": ["query": .string("step \(i) of the sample run"), "top_k": JSONValue(i % 7 + 1)],
            "replay_behavior": "execute", "retry_count": 0, "rng_state_before": nil, "skill_id": nil,
            "skill_name": "search", "source": "agent-runtime", "status": "completed", "step_index": JSONValue(i),
            "timestamp": .string(Timestamp.format(epochSeconds: 1_767_225_600 + i, micros: i % 1_000_000))]
        return step.canonicalBytes
    }
}
