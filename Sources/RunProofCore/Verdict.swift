/// The outcome of verifying one trace.
public struct Verdict: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case hashChain = "HASH_CHAIN"
        case failed = "FAILED"
        case unsupported = "UNSUPPORTED"

        /// The `integrity.verification_status` of the original RunProofResult.
        var verificationStatus: String {
            switch self {
            case .hashChain: "VERIFIED"
            case .failed: "FAILED"
            case .unsupported: "UNSUPPORTED"
            }
        }
    }

    /// What is known about the seal signatures.
    public enum Signature: String, Sendable {
        case valid = "VALID"
        case unsigned = "UNSIGNED"
        case notChecked = "NOT_CHECKED"
        case invalid = "INVALID"
        case none = "NONE"
    }

    /// What happened, for a FAILED verdict (docs/chain-v1.md 6.3).
    public enum FailureKind: String, Sendable {
        case changed
        case removed
        case inserted
        case reordered
        case indexGap = "index gap"
        case duplicateIndex = "duplicate index"
        case truncated
        case appendedAfterClose = "appended after close"
        case notClosed = "not closed"
        case mismatch
        case leafRecord = "leaf record"
        case notCanonical = "not canonical"
        case seal
        case signature
        case bundle
    }

    /// What the verdict's authenticity rests on (docs/chain-v1.md 6.5).
    public enum Authenticity: String, Sendable {
        /// Every seal's signature verified against a keyring.
        case keyring
        /// The latest seal's signature verified against the given public key.
        case pubkey
        /// Signed, but no key was given to check it.
        case unchecked
        /// The latest seal is unsigned, or there is no seal: integrity without authenticity.
        case unsigned

        /// Whether the verdict rests on a signature checked against a trusted key.
        public var isChecked: Bool { self == .keyring || self == .pubkey }
    }

    public var kind: Kind
    public var reason: String?
    public var failureKind: FailureKind?
    /// The first step index known to be bad.
    public var failingStepIndex: Int?
    /// Steps read and hashed.
    public var chainLength: Int = 0
    public var genesis: Digest?
    public var head: Digest?
    public var merkleRoot: Digest?
    /// The original coordinator's ambiguous root, for migration only; nil when steps were redacted.
    public var legacyRootHash: Digest?
    /// The chain length of the latest seal.
    public var sealedLength: Int = 0
    public var sealCount: Int = 0
    public var unsealedSteps: Int = 0
    public var signature: Signature = .none
    public var keyId: String?
    /// Whether the latest seal is a closing seal (docs/chain-v1.md 5.1).
    public var closed = false
    public var authenticity: Authenticity = .unsigned

    package init(kind: Kind, reason: String? = nil, failingStepIndex: Int? = nil, failureKind: FailureKind? = nil) {
        self.kind = kind
        self.reason = reason
        self.failingStepIndex = failingStepIndex
        self.failureKind = failureKind
    }

    /// The answer for a run that has no trace for the tenant; the same whether or not another tenant has it.
    package static let noTrace = Verdict(kind: .unsupported, reason: "No trace found for run")

    /// The detailed fields of the chain format, as JSON.
    public var json: JSONValue {
        ["verdict": .string(kind.rawValue), "reason": JSONValue(reason),
         "failing_step_index": failingStepIndex.map { JSONValue($0) } ?? .null,
         "chain_length": JSONValue(chainLength), "genesis": JSONValue(genesis?.hex), "head": JSONValue(head?.hex),
         "merkle_root": JSONValue(merkleRoot?.hex), "legacy_root_hash": JSONValue(legacyRootHash?.hex),
         "sealed_length": JSONValue(sealedLength), "seal_count": JSONValue(sealCount),
         "unsealed_steps": JSONValue(unsealedSteps), "signature": .string(signature.rawValue),
         "key_id": JSONValue(keyId), "failure_kind": JSONValue(failureKind?.rawValue), "closed": .bool(closed),
         "authenticity": .string(authenticity.rawValue)]
    }
}
