/// Verification receipts: a signed record of a verdict, as a DSSE envelope holding an in-toto Statement v1
/// (docs/chain-v1.md 10.3).
public enum Receipt {
    /// RunProof's version, recorded in receipts and printed by `runproof --version`.
    package static let runproofVersion = "0.4.0"
    static let payloadType = "application/vnd.in-toto+json"
    static let statementType = "https://in-toto.io/Statement/v1"
    static let predicateType = "urn:runproof:verification:v1"

    /// The in-toto Statement of a run's verification: one subject per trace (its origin, digest = the chain head).
    public static func statement(_ report: RunReport) -> JSONValue {
        let verdict = report.verdict
        let tenant = report.traces.first?.header.tenantId
        let subjects: [JSONValue] = report.traces.compactMap { trace in
            guard let head = trace.verdict.head else { return nil }
            return ["name": .string(Checkpoint.origin(tenant: trace.header.tenantId, trace: trace.header.traceId)),
                    "digest": ["sha256": .string(head.hex)]]
        }
        let traces: [JSONValue] = report.traces.map { trace in
            let v = trace.verdict
            return ["trace_id": .string(trace.header.traceId), "verdict": .string(v.kind.rawValue),
                    "chain_length": JSONValue(v.chainLength), "head": JSONValue(v.head?.hex), "merkle_root": JSONValue(v.merkleRoot?.hex),
                    "sealed_length": JSONValue(v.sealedLength), "closed": .bool(v.closed),
                    "failing_step_index": v.failingStepIndex.map { JSONValue($0) } ?? .null,
                    "failure_kind": JSONValue(v.failureKind?.rawValue)]
        }
        let predicate: JSONValue = [
            "format": .string(TraceHeader.format), "runproof_version": .string(runproofVersion),
            "tenant_id": JSONValue(tenant), "run_id": .string(report.runId), "verdict": .string(verdict.kind.rawValue),
            "reason": JSONValue(verdict.reason), "failing_step_index": verdict.failingStepIndex.map { JSONValue($0) } ?? .null,
            "failure_kind": JSONValue(verdict.failureKind?.rawValue), "authenticity": .string(verdict.authenticity.rawValue),
            "traces": .array(traces), "verified_at": .string(report.verifiedAt)]
        return ["_type": .string(statementType), "subject": .array(subjects), "predicateType": .string(predicateType),
                "predicate": predicate]
    }

    /// DSSE's pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
    static func pae(type: String, body: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(type.utf8.count) \(type) \(body.count) ".utf8) + body
    }

    /// The DSSE envelope of a statement, signed with `key`.
    public static func envelope(_ statement: JSONValue, key: SigningKey) throws(RunProofError) -> JSONValue {
        let payload = statement.canonicalBytes
        let signature = try key.sign(pae(type: payloadType, body: payload))
        return ["payloadType": .string(payloadType), "payload": .string(Base64.encode(payload)),
                "signatures": [["keyid": .string(key.publicKey.keyId), "sig": .string(Base64.encode(signature))]]]
    }

    /// The statement of an envelope signed by `key`, or why not.
    public static func open(_ envelope: JSONValue, key: PublicKey) -> Result<JSONValue, ReceiptError> {
        guard envelope["payloadType"]?.string == payloadType, let text = envelope["payload"]?.string,
              let payload = Base64.decode(text), case .array(let signatures)? = envelope["signatures"] else {
            return .failure(ReceiptError("not a DSSE envelope of an in-toto statement"))
        }
        let message = pae(type: payloadType, body: payload)
        let signed = signatures.contains { entry in
            entry["keyid"]?.string == key.keyId && entry["sig"]?.string.flatMap(Base64.decode).map { key.isValidSignature($0, for: message) } == true
        }
        guard signed else { return .failure(ReceiptError("no valid signature by key \(key.keyId)")) }
        guard let statement = try? JSONValue(parsing: payload), statement["_type"]?.string == statementType,
              statement["predicateType"]?.string == predicateType, let predicate = statement["predicate"],
              predicate["verdict"]?.string != nil, predicate["run_id"]?.string != nil,
              case .array(let traces)? = predicate["traces"], case .array(let subjects)? = statement["subject"] else {
            return .failure(ReceiptError("the payload is not a RunProof verification statement"))
        }
        guard isWellFormed(predicate) else { return .failure(ReceiptError("the statement's predicate lacks a field or has one of the wrong type")) }
        // Every trace with a head is a subject named by its origin, with the head as its digest; nothing else is.
        let tenant = predicate["tenant_id"]?.string
        let expected = Set(traces.compactMap { trace -> String? in
            guard let head = trace["head"]?.string, let id = trace["trace_id"]?.string else { return nil }
            return "\(Checkpoint.origin(tenant: tenant ?? "", trace: id)) \(head)"
        })
        let named = Set(subjects.compactMap { s -> String? in s["name"]?.string.flatMap { n in s["digest"]?["sha256"]?.string.map { "\(n) \($0)" } } })
        guard named == expected, named.count == subjects.count, tenant != nil || expected.isEmpty else {
            return .failure(ReceiptError("the statement's subjects are not its traces' origins and heads"))
        }
        return .success(statement)
    }

    /// Whether the predicate has every field of docs/chain-v1.md 10.3, each of its type.
    static func isWellFormed(_ p: JSONValue) -> Bool {
        func text(_ v: JSONValue?, nullable: Bool = false) -> Bool { v?.string != nil || (nullable && v == .null) }
        func count(_ v: JSONValue?, nullable: Bool = false) -> Bool { (v?.int).map { $0 >= 0 } ?? (nullable && v == .null) }
        guard text(p["format"]), text(p["runproof_version"]), text(p["tenant_id"], nullable: true), text(p["run_id"]),
              text(p["verdict"]), text(p["reason"], nullable: true), count(p["failing_step_index"], nullable: true),
              text(p["failure_kind"], nullable: true), text(p["authenticity"]),
              let at = p["verified_at"]?.string, (try? Timestamp.normalize(at)) == at,
              case .array(let traces)? = p["traces"] else { return false }
        return traces.allSatisfy { t in
            text(t["trace_id"]) && text(t["verdict"]) && count(t["chain_length"]) && text(t["head"], nullable: true)
                && text(t["merkle_root"], nullable: true) && count(t["sealed_length"]) && t["closed"]?.isBool == true
                && count(t["failing_step_index"], nullable: true) && text(t["failure_kind"], nullable: true)
        }
    }

    public struct ReceiptError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
