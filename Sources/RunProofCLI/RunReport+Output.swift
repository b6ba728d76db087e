import RunProofCore

extension RunReport {
    /// Prints the report as JSON (one line) or as text.
    func print(json: Bool, steps: Bool) {
        if json {
            Swift.print(self.json(includeSteps: steps).canonicalString)
            return
        }
        let verdict = verdict
        Swift.print("\(verdict.kind.rawValue)  run \(runId.isEmpty ? "?" : runId)\(verdict.reason.map { ": " + $0 } ?? "")")
        if let kind = verdict.failureKind {
            Swift.print("  failure:           \(kind.rawValue)\(verdict.failingStepIndex.map { " at step \($0)" } ?? "")")
        }
        if verdict.kind == .hashChain, !verdict.authenticity.isChecked {
            Swift.print(verdict.authenticity == .unsigned
                ? "  warning: integrity only: the seals are unsigned, so anyone who can write the seal table could have recomputed them"
                : "  warning: integrity only: the seals are signed, but no --pubkey or --keyring was given to check them")
        }
        for trace in traces {
            let v = trace.verdict
            Swift.print("  trace \(trace.header.traceId) (tenant \(trace.header.tenantId)): \(v.kind.rawValue)")
            if let reason = v.reason, traces.count > 1 { Swift.print("    reason:          \(reason)") }
            if let index = v.failingStepIndex { Swift.print("    failing step:    \(index)") }
            Swift.print("    chain_length:    \(v.chainLength) (sealed \(v.sealedLength) in \(v.sealCount) seal\(v.sealCount == 1 ? "" : "s"), unsealed \(v.unsealedSteps))")
            Swift.print("    head:            \(v.head?.hex ?? "-")")
            Swift.print("    merkle_root:     \(v.merkleRoot?.hex ?? "-")")
            Swift.print("    signature:       \(v.signature.rawValue)\(v.keyId.map { " (key \($0))" } ?? "")")
            Swift.print("    authenticity:    \(v.authenticity.rawValue)")
            Swift.print("    closed:          \(v.closed ? "yes (closing seal)" : "no")")
            if let legacy = v.legacyRootHash { Swift.print("    legacy_root:     \(legacy.hex) (migration only)") }
        }
    }
}
