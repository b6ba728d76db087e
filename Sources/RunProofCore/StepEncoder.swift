/// The fields of a step object, in canonical (sorted) key order.
public enum StepField: Int, CaseIterable, Sendable {
    case costCents, durationMs, idempotencyKey, inputHash, level, outcomeCategory, outcomeCode, outcomeData,
         outputHash, params, replayBehavior, retryCount, rngStateBefore, skillId, skillName, source, status,
         stepIndex, timestamp

    /// How a stored value becomes JSON.
    package enum Kind: Sendable { case text, json, number, integer, timestamp }

    var key: String {
        switch self {
        case .costCents: "cost_cents"
        case .durationMs: "duration_ms"
        case .idempotencyKey: "idempotency_key"
        case .inputHash: "input_hash"
        case .level: "level"
        case .outcomeCategory: "outcome_category"
        case .outcomeCode: "outcome_code"
        case .outcomeData: "outcome_data"
        case .outputHash: "output_hash"
        case .params: "params"
        case .replayBehavior: "replay_behavior"
        case .retryCount: "retry_count"
        case .rngStateBefore: "rng_state_before"
        case .skillId: "skill_id"
        case .skillName: "skill_name"
        case .source: "source"
        case .status: "status"
        case .stepIndex: "step_index"
        case .timestamp: "timestamp"
        }
    }

    package var kind: Kind {
        switch self {
        case .costCents, .durationMs: .number
        case .outcomeData, .params: .json
        case .retryCount, .stepIndex: .integer
        case .timestamp: .timestamp
        default: .text
        }
    }

    static let keySet = Set(allCases.map(\.key))

    /// What comes before each field's value in a full step, end to end: `{"cost_cents":`, `,"duration_ms":` ...
    /// `,"timestamp":`. Made once and kept for the life of the process, so that a hot loop reads them without
    /// retaining an array per member (5% of a step's encoding in a profile).
    struct Prefixes: @unchecked Sendable {
        let bytes = UnsafeRawBufferPointer(immortalCopyOf: StepField.allCases.flatMap { Array("\($0.rawValue == 0 ? "{" : ",")\"\($0.key)\":".utf8) })
        let ends = UnsafeBufferPointer(immortalCopyOf: StepField.allCases.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.key.utf8.count + 4) })

        /// `{"key":` for the first field, `,"key":` for the others.
        subscript(field: StepField) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[(field.rawValue == 0 ? 0 : ends[field.rawValue - 1]) ..< ends[field.rawValue]])
        }
    }
    static let prefixes = Prefixes()

    /// `"key":`, this field's member prefix.
    var memberPrefix: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: StepField.prefixes[self].dropFirst()) }

    /// The column of the platform's `aos_trace_steps` that holds this field (its key, quoted where SQL needs it).
    package var column: String { self == .timestamp ? "\"timestamp\"" : key }

    /// The column of the original platform's development store (`trace_steps`), nil where it has none.
    package var legacyColumn: String? {
        switch self {
        case .level, .skillId, .source: nil
        default: column
        }
    }
}

/// A stored column value as a store hands it over: text bytes (valid until the next row), or a typed number.
public enum FieldValue {
    case null
    case text(UnsafeRawBufferPointer)
    case double(Double)
    case integer(Int64)
}

/// Why a stored step cannot be canonicalized: names the step and field.
public struct StepEncodingError: Error, CustomStringConvertible, Sendable {
    public var stepIndex: Int?
    public var field: String
    public var reason: String
    public var description: String {
        "step \(stepIndex.map(String.init) ?? "?") field \(field): \(reason)"
    }
}

/// Writes step objects straight from stored column values to canonical bytes, no intermediate tree.
public struct StepEncoder: Sendable {
    private var jcs = JCS()
    /// The canonical bytes of the last step encoded.
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(1024) }

    /// Encodes one step into `bytes`; `value` gives each field's stored value.
    public mutating func encode(_ value: (StepField) -> FieldValue) throws(StepEncodingError) {
        var out: [UInt8] = []
        swap(&out, &bytes) // `bytes` lent out, not copied
        defer { swap(&out, &bytes) }
        out.removeAll(keepingCapacity: true)
        try encode(value, appendingTo: &out)
    }

    /// Appends one step's canonical bytes to `out` (where a batch of steps is kept: no copy from `bytes`). After an
    /// error, `out` ends with part of the step.
    public mutating func encode(_ value: (StepField) -> FieldValue, appendingTo out: inout [UInt8]) throws(StepEncodingError) {
        var index: Int?
        if case .integer(let i) = value(.stepIndex) { index = Int(i) }
        else if case .text(let t) = value(.stepIndex) { index = Int(String(decoding: t, as: UTF8.self)) }
        let prefixes = StepField.prefixes // read once: a static is checked for its first use at every read
        for field in StepField.allCases {
            out.append(contentsOf: prefixes[field])
            do { try append(value(field), as: field.kind, to: &out) } catch {
                throw StepEncodingError(stepIndex: index, field: field.key, reason: error.description)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    private mutating func append(_ value: FieldValue, as kind: StepField.Kind, to bytes: inout [UInt8]) throws(JCSError) {
        switch (value, kind) {
        case (.null, _):
            bytes.append(contentsOf: "null".utf8)
        case (.integer(let i), _):
            // A JSON number must be exactly a double (docs/chain-v1.md 2.2): beyond 2^53 not every integer is.
            guard let d = Double(exactly: i) else { throw JCSError("integer \(i) is not exactly a double", offset: 0) }
            if kind == .number { NumberFormat.append(d, to: &bytes) } else { bytes.append(contentsOf: String(i).utf8) }
        case (.double(let d), .integer) where d != d.rounded():
            throw JCSError("not an integer", offset: 0)
        case (.double(let d), _):
            guard d.isFinite else { throw JCSError("\(d) is not a JSON number", offset: 0) }
            NumberFormat.append(d, to: &bytes)
        case (.text(let t), .text):
            // ASCII (the common case) is valid as it is; anything else is checked whole.
            guard !t.contains(where: { $0 >= 0x80 }) || String(validating: t.bindMemory(to: UInt8.self), as: UTF8.self) != nil else {
                throw JCSError("invalid UTF-8", offset: 0)
            }
            JCS.appendValidString(t, to: &bytes)
        case (.text(let t), .json):
            try jcs.canonicalize(t, into: &bytes)
        case (.text(let t), .number):
            if NumberFormat.appendPlainDecimal(t, to: &bytes) { break }
            let text = String(decoding: t, as: UTF8.self)
            guard let d = Double(text), d.isFinite else { throw JCSError("\(text) is not a JSON number", offset: 0) }
            NumberFormat.append(d, to: &bytes)
        case (.text(let t), .integer):
            // Already in canonical form (no sign but `-`, no leading zero) and exact: kept as it is.
            if JCS.plainIntegerEnd(t.bindMemory(to: UInt8.self), from: 0) == t.count {
                bytes.append(contentsOf: t)
                break
            }
            let text = String(decoding: t, as: UTF8.self)
            guard let i = Int64(text), Double(exactly: i) != nil else { throw JCSError("\(text) is not an integer a double holds exactly", offset: 0) }
            bytes.append(contentsOf: String(i).utf8)
        case (.text(let t), .timestamp):
            do { try Timestamp.appendNormalized(t, to: &bytes) } catch { throw JCSError(error.message, offset: 0) }
        }
    }
}

extension UnsafeRawBufferPointer {
    /// A copy of `bytes` that is never freed: for tables made once per process.
    init(immortalCopyOf bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        buffer.copyBytes(from: bytes)
        self.init(buffer)
    }
}

extension UnsafeBufferPointer {
    /// A copy of `elements` that is never freed: for tables made once per process.
    init(immortalCopyOf elements: [Element]) {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = buffer.initialize(from: elements)
        self.init(buffer)
    }
}
