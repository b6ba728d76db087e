/// Standalone proofs, small enough to send alone: steps included in a signed seal, or one seal extending another.
///
/// Inclusion: `{"format": "runproof/inclusion-v1", "header": {...}, "seal": {seal record},
///   "entries": [{"step_index": i, "leaf": hex, "step": {step object} (optional), "path": [hex, ...]}]}`
/// Consistency: `{"format": "runproof/consistency-v1", "header": {...}, "first": {seal record},
///   "second": {seal record}, "path": [hex, ...]}`
public enum ProofFile {
    static let inclusionFormat = "runproof/inclusion-v1"
    static let consistencyFormat = "runproof/consistency-v1"

    /// Builds proofs from a stream of leaves (index order from 0), checking them against the seals as they pass.
    package final class Builder {
        let header: TraceHeader
        let seal: Seal
        let first: Seal?
        let steps: Set<Int>
        private let ranges: [Range<Int>]
        private let collector: SubtreeCollector
        private let chain: ChainBuilder
        private var firstRoot: Digest?
        private var kept: [Int: (Digest, JSONValue?)] = [:]

        /// An inclusion proof of `steps` against `seal`.
        package init(header: TraceHeader, seal: Seal, steps: [Int]) throws(RunProofError) {
            guard !steps.isEmpty else { throw RunProofError(.usage, "no step to prove") }
            if let bad = steps.first(where: { $0 < 0 || $0 >= seal.chainLength }) {
                throw RunProofError(.usage, "step \(bad) is not covered by the seal at chain_length \(seal.chainLength)")
            }
            self.header = header
            self.seal = seal
            first = nil
            self.steps = Set(steps)
            ranges = self.steps.sorted().flatMap { MerkleProof.inclusionRanges(index: $0, size: seal.chainLength) }
            collector = SubtreeCollector(ranges: ranges)
            chain = ChainBuilder(genesis: header.genesis)
        }

        /// A consistency proof that `second` extends `first`.
        package init(header: TraceHeader, first: Seal, second: Seal) throws(RunProofError) {
            guard first.chainLength <= second.chainLength else {
                throw RunProofError(.usage, "the first seal must not be longer than the second")
            }
            self.header = header; seal = second; self.first = first; steps = []
            ranges = MerkleProof.consistencyRanges(first: first.chainLength, second: second.chainLength)
            collector = SubtreeCollector(ranges: ranges); chain = ChainBuilder(genesis: header.genesis)
        }

        /// Whether more leaves are needed.
        package var needsMore: Bool { chain.length < seal.chainLength }

        /// Adds the next leaf; `step` is its step object, kept when the step is one being proven.
        package func add(leaf: Digest, step: JSONValue?) {
            guard needsMore else { return }
            if steps.contains(chain.length) { kept[chain.length] = (leaf, step) }
            collector.add(leaf)
            chain.append(leaf: leaf)
            if let first, chain.length == first.chainLength { firstRoot = chain.merkleRoot }
        }

        /// The proof, once every leaf up to the seal has been added and matched it.
        package func proof() throws(RunProofError) -> JSONValue {
            guard !needsMore, chain.head == seal.head, chain.merkleRoot == seal.merkleRoot,
                  first.map({ $0.merkleRoot == firstRoot && $0.chainLength > 0 }) ?? true
            else { throw RunProofError(.integrity, "the trace does not match its seal at chain_length \(seal.chainLength): verify it before proving") }
            let roots = collector.roots() ?? []
            if let first {
                return ["format": .string(consistencyFormat), "header": header.json, "first": first.record,
                        "second": seal.record, "path": .array(roots.map { .string($0.hex) })]
            }
            var offset = 0
            let entries: [JSONValue] = steps.sorted().map { index in
                let count = MerkleProof.inclusionRanges(index: index, size: seal.chainLength).count
                defer { offset += count }
                var entry: [String: JSONValue] = ["step_index": JSONValue(index), "leaf": .string(kept[index]!.0.hex),
                                                  "path": .array(roots[offset ..< offset + count].map { .string($0.hex) })]
                if let step = kept[index]!.1 { entry["step"] = step }
                return .object(entry)
            }
            return ["format": .string(inclusionFormat), "header": header.json, "seal": seal.record, "entries": .array(entries)]
        }
    }

    /// Verifies a proof file offline; the same verdicts as a trace.
    public static func verify(_ proof: JSONValue, trust: TrustPolicy) -> Verdict {
        do { return try check(proof, trust: trust) } catch {
            return Verdict(kind: .failed, reason: "malformed proof: \(error.message)", failureKind: .notCanonical)
        }
    }

    private static func check(_ proof: JSONValue, trust: TrustPolicy) throws(RunProofError) -> Verdict {
        let header = try TraceHeader(json: proof["header"] ?? .null)
        switch proof["format"]?.string {
        case inclusionFormat?:
            let seal = try Seal(record: proof["seal"] ?? .null)
            let verifier = ChainVerifier(header: header, seals: [seal], trust: trust)
            var verdict = verifier.sealVerdict
            if verdict.kind == .failed { return verdict }
            func failed(_ reason: String, _ index: Int?, _ kind: Verdict.FailureKind) -> Verdict {
                verdict.kind = .failed
                verdict.reason = reason
                verdict.failingStepIndex = index
                verdict.failureKind = kind
                return verdict
            }
            guard case .array(let entries)? = proof["entries"], !entries.isEmpty else {
                return failed("malformed proof: no entries", nil, .notCanonical)
            }
            for entry in entries {
                guard let index = entry["step_index"]?.int, let leaf = entry["leaf"]?.string.flatMap({ Digest(hex: $0) }),
                      case .array(let path)? = entry["path"] else { throw RunProofError(.malformed, "entry without step_index, leaf or path") }
                let hashes = path.compactMap { $0.string.flatMap { Digest(hex: $0) } }
                guard hashes.count == path.count else { throw RunProofError(.malformed, "path of step \(index) is not hex digests") }
                if let step = entry["step"] {
                    guard step["step_index"]?.int == index else {
                        return failed("step \(index): the step object has another step_index", index, .changed)
                    }
                    if StepField.keySet != Set(step.objectKeys) {
                        return failed("step \(index) is not a step object", index, .notCanonical)
                    }
                    if Leaf.hash(step.canonicalBytes) != leaf {
                        return failed("step \(index) does not hash to its leaf", index, .changed)
                    }
                }
                guard MerkleProof.verifyInclusion(leaf: leaf, index: index, size: seal.chainLength, path: hashes, root: seal.merkleRoot) else {
                    return failed("step \(index) is not included in the seal's Merkle root", index, .mismatch)
                }
            }
            verdict.chainLength = seal.chainLength
            verdict.merkleRoot = seal.merkleRoot
            verdict.head = seal.head
            return verdict
        case consistencyFormat?:
            let first = try Seal(record: proof["first"] ?? .null), second = try Seal(record: proof["second"] ?? .null)
            // A proof from a seal to itself holds one seal, not a duplicate.
            let seals = first == second ? [second] : [first, second]
            var verdict = ChainVerifier(header: header, seals: seals, trust: trust).sealVerdict
            if verdict.kind == .failed { return verdict }
            // The first seal is a checkpoint; when it claims the trusted key, its signature must hold too.
            if let key = trust.publicKey, first.signature != nil, first.keyId == key.keyId, !first.isSignatureValid(for: key) {
                verdict.kind = .failed
                verdict.reason = "bad signature on the first seal (chain_length \(first.chainLength))"
                verdict.failureKind = .signature
                return verdict
            }
            guard case .array(let path)? = proof["path"] else { throw RunProofError(.malformed, "no path") }
            let hashes = path.compactMap { $0.string.flatMap { Digest(hex: $0) } }
            guard hashes.count == path.count else { throw RunProofError(.malformed, "path is not hex digests") }
            guard MerkleProof.verifyConsistency(first: first.chainLength, second: second.chainLength,
                                                firstRoot: first.merkleRoot, secondRoot: second.merkleRoot, path: hashes) else {
                verdict.kind = .failed
                verdict.reason = "the seal at chain_length \(second.chainLength) does not extend the seal at \(first.chainLength)"
                verdict.failureKind = first.chainLength > second.chainLength ? .seal : .mismatch
                return verdict
            }
            verdict.chainLength = second.chainLength
            verdict.merkleRoot = second.merkleRoot
            verdict.head = second.head
            return verdict
        default:
            throw RunProofError(.malformed, "format is not \(inclusionFormat) or \(consistencyFormat)")
        }
    }
}

extension JSONValue {
    /// The keys of an object (empty for other values).
    var objectKeys: [String] {
        if case .object(let members) = self { return Array(members.keys) }
        return []
    }
}
