/// Audit bundles: an export plus the run's evidence and governance answers, signed as a whole.
///
/// After the seal lines come `{"evidence": {...}}`, `{"governance": {...}}` and, last,
/// `{"bundle_signature": {"content_sha256", "format", "key_id", "signed_at"}, "signature": base64}`:
/// Ed25519 over the JCS of the bundle_signature object, whose `content_sha256` is the SHA-256 of every
/// line before it in canonical form, each followed by `\n`.
public enum AuditBundle {
    static let format = "runproof/bundle-v1"

    /// The kinds of the lines a bundle adds after the seals, in their order.
    static let lineKinds = ["evidence", "governance", "bundle_signature"]

    /// Ends an export as a bundle: the evidence and governance answers (the JSON values of the evidence and
    /// governance queries), then the signature over every line written.
    package static func finish(_ writer: ExportWriter, evidence: JSONValue, governance: JSONValue, key: SigningKey,
                              signedAt: String) throws {
        try writer.write(record: ["evidence": evidence])
        try writer.write(record: ["governance": governance])
        try writer.writeBundleSignature(key: key, signedAt: signedAt)
    }

    /// The bundle signature record over a content digest.
    static func signature(contentDigest: Digest, key: SigningKey, signedAt: String) throws -> JSONValue {
        let signed: JSONValue = ["content_sha256": .string(contentDigest.hex), "format": .string(format),
                                 "key_id": .string(key.publicKey.keyId), "signed_at": .string(signedAt)]
        return ["bundle_signature": signed, "signature": .string(Base64.encode(try key.sign(signed.canonicalBytes)))]
    }

    /// Verifies a bundle offline and streaming: the chain, the seals, and the bundle signature over everything.
    public static func verify(path: String, trust: TrustPolicy) throws -> RunReport {
        guard trust.publicKey != nil || trust.keyring != nil else {
            var verdict = Verdict(kind: .failed, reason: "a bundle needs a public key to verify its signature", failureKind: .signature)
            verdict.authenticity = .unchecked // a bundle is always signed
            return RunReport(runId: "", traces: [], emptyVerdict: verdict)
        }
        return try ExportFile.verify(path: path) { reader in
            var trace = try ExportFile.verifyChain(reader, trust: trust, collectSteps: false)
            if trace.verdict.kind != .failed, let problem = check(reader, trust: trust) {
                trace.verdict.kind = .failed
                trace.verdict.reason = "bundle: \(problem.reason)"
                trace.verdict.failingStepIndex = nil
                trace.verdict.failureKind = problem.kind
            }
            return RunReport(runId: reader.header.runId, traces: [trace])
        }
    }

    /// The key that must have signed the bundle: the given public key, or the keyring's key valid when it was signed.
    static func signer(_ signed: JSONValue, trust: TrustPolicy) -> (key: PublicKey?, problem: String?) {
        let keyId = signed["key_id"]?.string ?? "null"
        if let key = trust.publicKey {
            return keyId == key.keyId ? (key, nil) : (nil, "signed by key \(keyId), not by the given key \(key.keyId)")
        }
        guard let keyring = trust.keyring else { return (nil, "no key to check the bundle signature") }
        let signedAt = signed["signed_at"]?.string ?? ""
        switch keyring.key(keyId, at: signedAt) {
        case .success(let key): return (key, nil)
        case .failure(let problem): return (nil, "signed at \(signedAt) by key \(keyId), which \(problem)")
        }
    }

    /// The first problem with the bundle's own parts, or nil.
    static func check(_ reader: ExportReader, trust: TrustPolicy) -> (kind: Verdict.FailureKind, reason: String)? {
        let header = reader.header
        let parts = Dictionary(grouping: reader.trailer, by: \.kind)
        guard parts["evidence"]?.count == 1, parts["governance"]?.count == 1 else {
            return (.bundle, "needs exactly one evidence line and one governance line")
        }
        guard let signature = parts["bundle_signature"], signature.count == 1, let record = signature.first?.record,
              let signed = record["bundle_signature"], let sig = record["signature"]?.string
        else { return (.bundle, "the bundle signature line is missing") }
        let evidence = parts["evidence"]![0].record["evidence"], governance = parts["governance"]![0].record["governance"]
        guard evidence?["run_id"]?.string == header.runId else { return (.bundle, "the evidence is of another run") }
        guard governance?["run_id"]?.string == header.runId, governance?["metadata"]?["tenant_id"]?.string == header.tenantId,
              governance?["metadata"]?["run_id"]?.string == header.runId
        else { return (.bundle, "the governance events are of another tenant or run") }
        guard signed["format"]?.string == format, Set(signed.objectKeys) == ["content_sha256", "format", "key_id", "signed_at"] else {
            return (.signature, "the bundle signature is not a \(format) signature")
        }
        let (signer, problem) = signer(signed, trust: trust)
        guard let key = signer else { return (.signature, problem ?? "no key") }
        guard let raw = Base64.decode(sig), key.isValidSignature(raw, for: signed.canonicalBytes) else {
            return (.signature, "bad bundle signature")
        }
        guard let digest = reader.contentDigest, signed["content_sha256"]?.string == digest.hex else {
            return (.bundle, "the bundle signature does not cover this content (a step, seal, evidence or governance line changed)")
        }
        return nil
    }
}
