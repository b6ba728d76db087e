/// Locating a change with the leaf record and naming its kind (docs/chain-v1.md 6.3).
extension ChainVerifier {
    /// Advances the candidate's classification with one more row (docs/chain-v1.md 6.3).
    func classify(index: Int, leaf: Digest, canonical: UnsafeRawBufferPointer?, recorded: Digest?) {
        guard var c = candidate else { return }
        let e = c.position
        switch c.stage {
        case .awaitingNext:
            // The row after the candidate decides between removed, inserted and reordered.
            let a = index == e + 1 && recorded != nil && c.bytes.map { reindexedLeaf($0, e + 1) == recorded } == true
            let b = index == e + 1 && canonical.map { reindexedLeaf(Array($0), e) == c.recorded } == true
            c.kind = a && b ? .reordered : a ? .removed : b ? .inserted : nil
            c.stage = c.kind == nil ? .searchingFar : .done
            c.bytes = nil
        case .searchingFar:
            // The first further mismatch in the sealed range: the other half of a swap with the candidate, or not.
            guard index > e + 1, index < verdict.sealedLength, let recorded, leaf != recorded else { return }
            c.kind = canonical.map { reindexedLeaf(Array($0), e) == c.recorded } == true ? .reordered : .changed
            c.stage = .done
        case .done:
            return
        }
        candidate = c
        publishCandidate()
        if hasFailed, c.stage == .done { settled = true }
    }

    func settleGap(_ gap: (expected: Int, index: Int, intact: Bool)) {
        if gap.intact {
            let range = gap.index - gap.expected == 1 ? "step \(gap.expected) was" : "steps \(gap.expected)...\(gap.index - 1) were"
            settle(gap.expected, .removed, "\(range) removed (step \(gap.index) follows, intact)")
        } else {
            settle(gap.expected, .indexGap, "step \(gap.expected) is missing (the next step has step_index \(gap.index))")
        }
    }

    /// Writes the candidate's kind and reason into the verdict once both the failure and the kind are known.
    func publishCandidate() {
        guard hasFailed, let c = candidate, verdict.failingStepIndex == c.position, let kind = c.kind else { return }
        verdict.failureKind = kind
        verdict.reason = "\(ChainVerifier.describe(kind, c.position)): located by the leaf record, the chain does not match the seal"
    }

    static func describe(_ kind: Verdict.FailureKind, _ position: Int) -> String {
        switch kind {
        case .removed: "step \(position) was removed (the steps after it moved up)"
        case .inserted: "a step was inserted at \(position) (the steps after it moved down)"
        case .reordered: "step \(position) was reordered (it holds another step's content)"
        default: "step \(position) was changed"
        }
    }

    /// `H(0x00 ‖ step)` with the top-level `step_index` value replaced by `index` (docs/chain-v1.md 6.3), or nil.
    func reindexedLeaf(_ step: [UInt8], _ index: Int) -> Digest? {
        let timestamp = Array(#","timestamp":"#.utf8), key = Array(#""step_index":"#.utf8)
        guard let end = lastRange(of: timestamp, in: step) else { return nil }
        var start = end
        while start > 0, step[start - 1] == UInt8(ascii: "-") || (step[start - 1] >= 0x30 && step[start - 1] <= 0x39) { start -= 1 }
        guard start >= key.count, Array(step[start - key.count ..< start]) == key else { return nil }
        return Leaf.hash(Array(step[..<start]) + Array(String(index).utf8) + Array(step[end...]))
    }

    func lastRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0], Array(haystack[i ..< i + needle.count]) == needle { return i }
            i -= 1
        }
        return nil
    }
}
