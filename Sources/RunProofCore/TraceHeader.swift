/// The header object that binds a chain to its tenant, run and trace (genesis = H(0x03 || JCS(header))).
public struct TraceHeader: Sendable, Equatable {
    public static let format = "runproof/v1"
    static let keys: Set<String> = ["agent_id", "correlation_id", "format", "plan", "run_id", "started_at", "tenant_id", "trace_id"]

    public var tenantId: String
    public var runId: String
    public var traceId: String
    public var correlationId: String
    public var agentId: String?
    public var plan: JSONValue
    /// Normalised timestamp (see `Timestamp`).
    public var startedAt: String

    public init(tenantId: String, runId: String, traceId: String, correlationId: String, agentId: String?,
                plan: JSONValue, startedAt: String) {
        self.tenantId = tenantId
        self.runId = runId
        self.traceId = traceId
        self.correlationId = correlationId
        self.agentId = agentId
        self.plan = plan
        self.startedAt = startedAt
    }

    /// Reads a header object, rejecting missing or unexpected keys and wrong types.
    public init(json: JSONValue) throws(RunProofError) {
        guard case .object(let members) = json else { throw RunProofError(.malformed, "header is not a JSON object") }
        if let extra = Set(members.keys).subtracting(TraceHeader.keys).sorted().first {
            throw RunProofError(.malformed, "header has unexpected key \"\(extra)\"")
        }
        func text(_ key: String) throws(RunProofError) -> String {
            guard let value = members[key]?.string else { throw RunProofError(.malformed, "header \(key) is missing or not a string") }
            return value
        }
        guard try text("format") == TraceHeader.format else {
            throw RunProofError(.malformed, "header format is not \(TraceHeader.format)")
        }
        guard let agent = members["agent_id"], agent.isNull || agent.string != nil else {
            throw RunProofError(.malformed, "header agent_id is missing or not a string or null")
        }
        guard let plan = members["plan"] else { throw RunProofError(.malformed, "header plan is missing") }
        self.init(tenantId: try text("tenant_id"), runId: try text("run_id"), traceId: try text("trace_id"),
                  correlationId: try text("correlation_id"), agentId: agent.string, plan: plan,
                  startedAt: try text("started_at"))
    }

    public var json: JSONValue {
        ["agent_id": JSONValue(agentId), "correlation_id": .string(correlationId), "format": .string(TraceHeader.format),
         "plan": plan, "run_id": .string(runId), "started_at": .string(startedAt), "tenant_id": .string(tenantId),
         "trace_id": .string(traceId)]
    }

    /// `H(0x03 || JCS(header))`.
    public var genesis: Digest {
        let hasher = SHA256()
        hasher.update(byte: 0x03)
        hasher.update(canonicalBytes)
        return hasher.finalize()
    }

    /// `JCS(header)`: the members of `json` written in key order, without building the object.
    var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func member(_ key: StaticString, _ write: (inout [UInt8]) -> Void) {
            out.append(out.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            out.append(0x22)
            out.append(contentsOf: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            out.append(contentsOf: "\":".utf8)
            write(&out)
        }
        func string(_ key: StaticString, _ value: String?) {
            member(key) { out in if let value { JCS.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) } }
        }
        string("agent_id", agentId)
        string("correlation_id", correlationId)
        string("format", TraceHeader.format)
        member("plan") { plan.write(to: &$0) }
        string("run_id", runId)
        string("started_at", startedAt)
        string("tenant_id", tenantId)
        string("trace_id", traceId)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
