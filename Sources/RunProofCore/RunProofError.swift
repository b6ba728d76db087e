/// An error raised by RunProof, with an extensible code, a human message and the C library's own error.
public struct RunProofError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let crypto = Code("crypto")
        public static let nonCanonical = Code("non_canonical_json")
        public static let malformed = Code("malformed_input")
        public static let io = Code("io")
        /// An input file or key that cannot be opened.
        public static let noInput = Code("no_input")
        public static let key = Code("key")
        public static let usage = Code("usage")
        public static let database = Code("database")
        public static let conflict = Code("conflict")
        /// The data does not match its seals (a refusal about the data, reported like a FAILED verdict).
        public static let integrity = Code("integrity")
        public static let notFound = Code("not_found")
        public static let `internal` = Code("internal")
    }

    public var code: Code
    public var message: String
    /// The underlying C error: an OpenSSL error string, an SQLSTATE, an sqlite result code, or errno text.
    public var underlying: String?

    public init(_ code: Code, _ message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
