import ArgumentParser
import RunProofCore

/// `runproof sample`: writes a synthetic export file, for benchmarks and trying things out.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a synthetic, unsealed export file of N steps (for benchmarks).")

    @Option(help: "Number of steps.")
    var steps: Int = 1000

    @Option(name: .shortAndLong, help: "File to write (an existing one is refused unless --force).")
    var output: String

    @Flag(help: "Replace the output file if it exists (whole, atomically).")
    var force = false

    func validate() throws {
        guard steps >= 0 else { throw ValidationError("--steps must not be negative") }
    }

    func run() throws {
        let header = TraceHeader(tenantId: "tenant-sample", runId: "run-sample", traceId: "trace-sample",
                                 correlationId: "corr-sample", agentId: "agent-sample", plan: ["goal": "sample"],
                                 startedAt: "2026-01-01T00:00:00.000000Z")
        let writer = try ExportWriter(path: output, header: header, policy: OutputPolicy(force: force))
        for i in 0 ..< steps {
            let step: JSONValue = [
                "cost_cents": .number(Double(i % 100) * 0.25), "duration_ms": .number(Double(i % 1000) + 0.5),
                "idempotency_key": .string("idem-\(i)"), "input_hash": nil, "level": "INFO", "outcome_category": "SUCCESS",
                "outcome_code": nil, "outcome_data": ["rows": JSONValue(i % 50), "ok": true], "output_hash": nil,
                "params": ["query": .string("step \(i) of the sample run"), "top_k": JSONValue(i % 7 + 1)],
                "replay_behavior": "execute", "retry_count": 0, "rng_state_before": nil, "skill_id": nil,
                "skill_name": "search", "source": "agent-runtime", "status": "completed", "step_index": JSONValue(i),
                "timestamp": .string(Timestamp.format(epochSeconds: 1_767_225_600 + i, micros: i % 1_000_000))]
            try writer.write(canonicalStep: step.canonicalBytes)
        }
        try writer.close()
        print("wrote \(steps) steps to \(output)")
    }
}
