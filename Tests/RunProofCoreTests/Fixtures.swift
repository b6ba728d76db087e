import RunProofCore
#if canImport(Glibc)
import Glibc
import RunProofTestSupport
#endif

/// Builds sample traces and export files for tests.
enum Fixture {
    static func header(run: String = "run-1", tenant: String = "tenant-a", trace: String = "trace-1") -> TraceHeader {
        TraceHeader(tenantId: tenant, runId: run, traceId: trace, correlationId: "corr-\(run)", agentId: "agent-7",
                    plan: ["goal": "answer", "steps": ["search", "answer"]], startedAt: "2026-01-01T00:00:00.000000Z")
    }

    static func step(_ i: Int, skill: String = "search", params: JSONValue? = nil) -> JSONValue {
        ["cost_cents": .number(Double(i) * 0.5), "duration_ms": .number(12.25 + Double(i)), "idempotency_key": .string("idem-\(i)"),
         "input_hash": nil, "level": "INFO", "outcome_category": "SUCCESS", "outcome_code": nil,
         "outcome_data": ["rows": JSONValue(i)], "output_hash": nil, "params": params ?? ["q": .string("query \(i)")],
         "replay_behavior": "execute", "retry_count": 0, "rng_state_before": nil, "skill_id": nil,
         "skill_name": .string(skill), "source": nil, "status": "completed", "step_index": JSONValue(i),
         "timestamp": .string(Timestamp.format(epochSeconds: 1_767_225_600 + i, micros: i))]
    }

    /// Lines of an export file: header, steps, then seals at the given chain lengths.
    static func lines(steps: Int, sealsAt: [Int], key: SigningKey?, header: TraceHeader = header(),
                      step: (Int) -> JSONValue = { Fixture.step($0) }) throws -> [String] {
        let builder = ChainBuilder(genesis: header.genesis)
        var lines = [header.json.canonicalString]
        var seals: [String] = []
        for i in 0 ..< steps {
            let bytes = step(i).canonicalBytes
            builder.append(canonicalStep: bytes)
            lines.append(String(decoding: bytes, as: UTF8.self))
            if sealsAt.contains(i + 1) {
                var seal = Seal(header: header, length: builder.length, head: builder.head, merkleRoot: builder.merkleRoot,
                                sealedAt: "2026-01-02T00:00:00.000000Z")
                if let key { try seal.sign(with: key) }
                seals.append(seal.record.canonicalString)
            }
        }
        return lines + seals
    }

    static func write(_ lines: [String], name: String = "trace") -> String {
        let path = tempDirectory + "/\(name)-\(UInt32.random(in: 0 ... .max)).ndjson"
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        let file = fopen(path, "w")!
        fputs(text, file)
        fclose(file)
        return path
    }

    static let tempDirectory = TestDatabases.temporaryDirectory()

    /// A signing key shared by the tests.
    static let key: SigningKey = try! SigningKey()
}
