import RunProofCore

extension RunProofCommand.Verify {
    /// Opens a signed checkpoint with one verifier key, as note verifiers do, and prints what it says.
    func verifyCheckpoint(_ path: String, _ key: NoteKey) throws {
        let note = Array(try readText(path).utf8)
        guard let body = key.open(note) else {
            if output.json {
                print(JSONValue.object(["verified": false, "reason": .string("no valid signature by \(key.name) on the checkpoint")]).canonicalString)
            } else {
                print("FAILED  checkpoint \(path): no valid signature by \(key.name)")
            }
            throw Exit.code(for: .failed)
        }
        let witnesses = notes.witnesses
        let cosigned = witnesses.filter { $0.hasCosigned(note: note, body: body) }
        if !witnesses.isEmpty, cosigned.count < notes.quorum {
            let reason = "\(cosigned.count) of \(witnesses.count) witnesses cosigned; \(notes.quorum) required"
            if output.json { print(JSONValue.object(["verified": false, "reason": .string(reason)]).canonicalString) }
            else { print("FAILED  checkpoint \(path): \(reason)") }
            throw Exit.code(for: .failed)
        }
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let origin = lines.first.map(String.init) ?? ""
        let size = lines.count > 1 ? String(lines[1]) : ""
        let root = lines.count > 2 ? Base64.decode(String(lines[2])).flatMap { Digest(bytes: $0)?.hex } : nil
        if output.json {
            print(JSONValue.object(["verified": true, "origin": .string(origin), "size": Int(size).map { JSONValue($0) } ?? .null,
                                    "root_hash": JSONValue(root), "key_name": .string(key.name),
                                    "witnesses": .array(cosigned.map { .string($0.name) })]).canonicalString)
        } else {
            print("VERIFIED  checkpoint \(origin) size \(size) root \(root ?? "?") (signed by \(key.name)\(cosigned.isEmpty ? "" : "; cosigned by \(cosigned.map(\.name).joined(separator: ", "))"))")
        }
    }

    /// Verifies a proof file: an inclusion or consistency proof, a tlog-proof, or a tenant-log consistency proof.
    func verifyProof(_ path: String, _ policy: TrustPolicy) throws {
        let bytes = try readText(path)
        if TlogProof.isTlogProof(Array(bytes.utf8)) {
            let verdict = TlogProof.verify(Array(bytes.utf8), verifierKey: notes.key, publicKey: policy.publicKey)
            let failed = verdict.kind == .failed || (policy.requireSignature && !verdict.authenticity.isChecked)
            RunReport(runId: "", traces: [], emptyVerdict: failed && verdict.kind != .failed
                ? Verdict(kind: .failed, reason: "the checkpoint's signature is required but no --vkey or --pubkey was given", failureKind: .signature)
                : verdict).print(json: output.json, steps: false)
            throw Exit.code(for: failed ? .failed : verdict.kind)
        }
        let verdict: Verdict
        var header: TraceHeader?
        if let json = try? JSONValue(parsing: bytes), json["format"]?.string == TenantLogProof.consistencyFormat {
            guard let key = notes.key else { throw RunProofError(.usage, "a tenant-log consistency proof needs --vkey") }
            let verdict = TenantLogProof.verifyConsistency(json, key: key)
            RunReport(runId: "", traces: [], emptyVerdict: verdict).print(json: output.json, steps: false)
            throw Exit.code(for: verdict.kind)
        }
        do {
            let proof = try JSONValue(parsing: bytes)
            header = try? TraceHeader(json: proof["header"] ?? .null)
            verdict = ProofFile.verify(proof, trust: policy)
        } catch {
            verdict = Verdict(kind: .failed, reason: "malformed proof: \(error)")
        }
        let report = header.map { RunReport(runId: $0.runId, traces: [RunReport.Trace(header: $0, verdict: verdict)]) }
            ?? RunReport(runId: "", traces: [], emptyVerdict: verdict)
        report.print(json: output.json, steps: false)
        throw Exit.code(for: report.verdict.kind)
    }
}
