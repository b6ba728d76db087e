/// The verification of one run: each of its traces with its verdict, and the run's verdict.
public struct RunReport: Sendable {
    public struct Trace: Sendable {
        public var header: TraceHeader
        public var verdict: Verdict
        /// The canonical step objects, when they were asked for.
        public var steps: [JSONValue]?
        /// The trace row's status and completion time, as stored (the platform's TraceSummary; unknown from a file).
        public var status: String?
        public var completedAt: String?
        /// The steps read (the platform's TraceSummary `step_count`); the chain length when not given.
        public var stepCount: Int?

        package init(header: TraceHeader, verdict: Verdict, steps: [JSONValue]? = nil, status: String? = nil,
                    completedAt: String? = nil, stepCount: Int? = nil) {
            (self.header, self.verdict, self.steps) = (header, verdict, steps)
            (self.status, self.completedAt, self.stepCount) = (status, completedAt, stepCount)
        }
    }

    public var runId: String
    public var traces: [Trace]
    /// Set when there is no trace to report (e.g. no trace for the tenant and run).
    public var emptyVerdict: Verdict
    public var verifiedAt: String

    package init(runId: String, traces: [Trace], emptyVerdict: Verdict = .noTrace, verifiedAt: String = Timestamp.now()) {
        self.runId = runId
        self.traces = traces
        self.emptyVerdict = emptyVerdict
        self.verifiedAt = verifiedAt
    }

    /// FAILED if any trace failed, HASH_CHAIN if all verified, otherwise UNSUPPORTED.
    public var verdict: Verdict {
        if traces.isEmpty { return emptyVerdict }
        if traces.count == 1 { return traces[0].verdict }
        var run: Verdict
        if let failed = traces.first(where: { $0.verdict.kind == .failed }) {
            run = Verdict(kind: .failed, reason: "trace \(failed.header.traceId): \(failed.verdict.reason ?? "")",
                          failingStepIndex: failed.verdict.failingStepIndex, failureKind: failed.verdict.failureKind)
        } else if let other = traces.first(where: { $0.verdict.kind != .hashChain }) {
            run = Verdict(kind: .unsupported, reason: "trace \(other.header.traceId): \(other.verdict.reason ?? "")")
        } else {
            run = Verdict(kind: .hashChain)
        }
        // A run is as authentic, and as closed, as its weakest trace.
        let order: [Verdict.Authenticity] = [.unsigned, .unchecked, .pubkey, .keyring]
        run.authenticity = traces.map(\.verdict.authenticity).min { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }!
        run.closed = traces.allSatisfy(\.verdict.closed)
        return run
    }

    /// A superset of the original coordinator's RunProofResult (each trace a superset of its TraceSummary, each step of
    /// its TraceStepSummary; `raw_logs` null), plus the chain format's fields.
    public func json(includeSteps: Bool) -> JSONValue {
        let verdict = verdict
        let single = traces.count == 1 ? traces[0].verdict : verdict
        var integrity: [String: JSONValue] = [
            "model": .string(verdict.kind == .unsupported ? "NONE" : "HASH_CHAIN"),
            "root_hash": JSONValue(single.head?.hex),
            "chain_length": JSONValue(traces.reduce(0) { $0 + $1.verdict.chainLength }),
            "verification_status": .string(verdict.kind.verificationStatus),
            "failure_reason": verdict.kind == .hashChain ? .null : JSONValue(verdict.reason),
        ]
        integrity["failing_step_index"] = verdict.failingStepIndex.map { JSONValue($0) } ?? .null
        var result: [String: JSONValue] = [
            "run_id": .string(runId),
            "verdict": .string(verdict.kind.rawValue),
            "integrity": .object(integrity),
            "aos_traces": .array(traces.map { trace in
                var row = trace.header.json
                if case .object(var members) = row {
                    members.removeValue(forKey: "format")
                    members["proof"] = trace.verdict.json
                    members["status"] = JSONValue(trace.status)
                    members["step_count"] = JSONValue(trace.stepCount ?? trace.verdict.chainLength)
                    members["completed_at"] = JSONValue(trace.completedAt)
                    row = .object(members)
                }
                return row
            }),
            "verified_at": .string(verifiedAt),
            "raw_logs": .null,
        ]
        if case .object(let details) = single.json {
            for (key, value) in details where result[key] == nil { result[key] = value }
        }
        if includeSteps {
            result["aos_trace_steps"] = .array(traces.flatMap { trace in
                (trace.steps ?? []).map { step in
                    guard case .object(var members) = step else { return step }
                    members["trace_id"] = .string(trace.header.traceId)
                    return .object(members)
                }
            })
        }
        return .object(result)
    }
}
