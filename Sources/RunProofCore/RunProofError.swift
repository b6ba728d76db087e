#if canImport(Glibc)
import Glibc
#endif

/// An error raised by RunProof, with an extensible code, a human message and the C library's own error.
public struct RunProofError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        init(_ name: String) { self.name = name }
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

    /// The C library an error came from, with its code, for callers that switch on it.
    public enum Origin: Sendable, Equatable {
        /// A PostgreSQL server error: its SQLSTATE (e.g. "23505", a unique violation).
        case postgres(sqlstate: String)
        /// A libpq error without a server SQLSTATE (a connection that could not be made or was lost).
        case libpq
        /// An SQLite extended result code (e.g. 2067, SQLITE_CONSTRAINT_UNIQUE).
        case sqlite(code: Int32)
        /// OpenSSL's error queue (its text is in `underlying`).
        case openssl
        /// A system call's errno.
        case errno(Int32)
    }

    public var code: Code
    public var message: String
    /// The underlying C error as text: the server's message, the sqlite message, OpenSSL's queue, strerror.
    public var underlying: String?
    /// Where `underlying` came from, with its code.
    public var origin: Origin?
    /// The SQL statement that failed, as sent (parameters are bound separately, so it holds no value).
    public var statement: String?

    public init(_ code: Code, _ message: String, underlying: String? = nil, origin: Origin? = nil, statement: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.origin = origin
        self.statement = statement
    }

    /// An error of a failed system call, with errno and its text.
    package static func system(_ code: Code, _ message: String, errno number: Int32 = errno) -> RunProofError {
        RunProofError(code, message, underlying: String(cString: strerror(number)), origin: .errno(number))
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
