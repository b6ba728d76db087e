/// The outcome of verifying one trace.
public struct Verdict: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case hashChain = "HASH_CHAIN"
        case failed = "FAILED"
        case unsupported = "UNSUPPORTED"

        /// The `integrity.verification_status` of the original RunProofResult.
        public var verificationStatus: String {
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

    public var kind: Kind
    public var reason: String?
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

    public init(kind: Kind, reason: String? = nil, failingStepIndex: Int? = nil) {
        self.kind = kind
        self.reason = reason
        self.failingStepIndex = failingStepIndex
    }

    /// The answer for a run that has no trace for the tenant; the same whether or not another tenant has it.
    public static let noTrace = Verdict(kind: .unsupported, reason: "No trace found for run")

    /// The detailed fields of the chain format, as JSON.
    public var json: JSONValue {
        ["verdict": .string(kind.rawValue), "reason": JSONValue(reason),
         "failing_step_index": failingStepIndex.map { JSONValue($0) } ?? .null,
         "chain_length": JSONValue(chainLength), "genesis": JSONValue(genesis?.hex), "head": JSONValue(head?.hex),
         "merkle_root": JSONValue(merkleRoot?.hex), "legacy_root_hash": JSONValue(legacyRootHash?.hex),
         "sealed_length": JSONValue(sealedLength), "seal_count": JSONValue(sealCount),
         "unsealed_steps": JSONValue(unsealedSteps), "signature": .string(signature.rawValue),
         "key_id": JSONValue(keyId)]
    }
}
