/// Reading a seal record `{"seal": {...}, "signature": "...", "checkpoint_signature": "..."}`: straight from its
/// bytes when they are the canonical JSON RunProof writes, through a JSON tree otherwise. Both read the members into
/// `Members` and check them in one place, so they accept and refuse the same records with the same messages.
extension Seal {
    /// The keys of the seal object, in canonical order.
    enum Key: Int, CaseIterable {
        case chainLength, closed, format, genesis, head, keyId, merkleRoot, runId, sealedAt, tenantId, traceId

        var name: String {
            switch self {
            case .chainLength: "chain_length"
            case .closed: "closed"
            case .format: "format"
            case .genesis: "genesis"
            case .head: "head"
            case .keyId: "key_id"
            case .merkleRoot: "merkle_root"
            case .runId: "run_id"
            case .sealedAt: "sealed_at"
            case .tenantId: "tenant_id"
            case .traceId: "trace_id"
            }
        }
    }

    /// A member's value as far as the checks tell values apart.
    enum Member: Equatable {
        case string(String), integer(Int), null, `true`, other

        init(_ json: JSONValue) {
            switch json {
            case .string(let s): self = .string(s)
            case .null: self = .null
            case .bool(true): self = .true
            default: self = json.int.map(Member.integer) ?? .other
            }
        }

        var string: String? { if case .string(let s) = self { return s }; return nil }
    }

    /// The members of a seal record as read, before they are checked.
    struct Members {
        var seal = [Member?](repeating: nil, count: Key.allCases.count)
        var signature: Member?
        var checkpointSignature: Member?

        subscript(key: Key) -> Member? {
            get { seal[key.rawValue] }
            set { seal[key.rawValue] = newValue }
        }
    }

    /// Reads a seal record, rejecting missing or unexpected keys and wrong types.
    public init(record: JSONValue) throws(RunProofError) {
        guard case .object(let outer) = record, case .object(let s)? = outer["seal"] else {
            throw RunProofError(.malformed, "seal record has no seal object")
        }
        let known = Set(Key.allCases.map(\.name))
        // The first unexpected key in order (a set's own order changes from run to run).
        if let extra = Set(outer.keys).subtracting(["seal", "signature", "checkpoint_signature"]).sorted().first ?? Set(s.keys).subtracting(known).sorted().first {
            throw RunProofError(.malformed, "seal has unexpected key \"\(extra)\"")
        }
        var members = Members()
        for key in Key.allCases { members[key] = s[key.name].map(Member.init) }
        members.signature = outer["signature"].map(Member.init)
        members.checkpointSignature = outer["checkpoint_signature"].map(Member.init)
        try self.init(checking: members)
    }

    /// Reads a seal record's text: directly when it is canonical JSON whose strings need no escapes (every record
    /// RunProof writes), through a JSON tree otherwise.
    public init(recordText text: String) throws(RunProofError) {
        var text = text
        if let members = text.withUTF8({ utf8 in
            var scanner = SealRecordScanner(UnsafeRawBufferPointer(utf8))
            return scanner.members()
        }) {
            try self.init(checking: members)
            return
        }
        try self.init(parsing: Array(text.utf8))
    }

    /// Reads a seal record's bytes, as `init(recordText:)` reads its text.
    package init(recordBytes bytes: UnsafeRawBufferPointer) throws(RunProofError) {
        var scanner = SealRecordScanner(bytes)
        if let members = scanner.members() {
            try self.init(checking: members)
            return
        }
        try self.init(parsing: Array(bytes))
    }

    /// Reads a seal record through a JSON tree.
    private init(parsing bytes: [UInt8]) throws(RunProofError) {
        let json: JSONValue
        do { json = try JSONValue(parsing: bytes) } catch { throw RunProofError(.malformed, "seal record is not JSON: \(error)") }
        try self.init(record: json)
    }

    private init(checking m: Members) throws(RunProofError) {
        func text(_ key: Key) throws(RunProofError) -> String {
            guard let v = m[key]?.string else { throw RunProofError(.malformed, "seal \(key.name) is missing or not a string") }
            return v
        }
        func digest(_ key: Key) throws(RunProofError) -> Digest {
            guard let d = Digest(hex: try text(key)) else { throw RunProofError(.malformed, "seal \(key.name) is not a SHA-256 hex digest") }
            return d
        }
        guard try text(.format) == TraceHeader.format else { throw RunProofError(.malformed, "seal format is not \(TraceHeader.format)") }
        guard case .integer(let length)? = m[.chainLength], length > 0 else {
            throw RunProofError(.malformed, "seal chain_length is missing or not a positive integer")
        }
        guard let keyId = m[.keyId], keyId == .null || keyId.string != nil else {
            throw RunProofError(.malformed, "seal key_id is missing or not a string or null")
        }
        let signature = m.signature
        guard signature == nil || signature?.string != nil else { throw RunProofError(.malformed, "seal signature is not a string") }
        if let closed = m[.closed], closed != .true {
            throw RunProofError(.malformed, "seal closed is not true (it is present only on a closing seal)")
        }
        if let id = keyId.string, !(id.utf8.count == 64 && id.utf8.allSatisfy { Hex.value($0) != nil && !($0 >= 0x41 && $0 <= 0x46) }) {
            throw RunProofError(.malformed, "seal key_id is not 64 lowercase hex digits")
        }
        guard (keyId.string == nil) == (signature == nil) else {
            throw RunProofError(.malformed, keyId.string == nil ? "an unsigned seal (key_id null) carries a signature" : "seal key_id names a key but the seal has no signature")
        }
        guard let at = m[.sealedAt]?.string, Timestamp.isNormalized(at) else {
            throw RunProofError(.malformed, "seal sealed_at is not a timestamp in the chain format (YYYY-MM-DDTHH:MM:SS.ffffffZ)")
        }
        chainLength = length
        closed = m[.closed] != nil
        genesis = try digest(.genesis)
        head = try digest(.head)
        self.keyId = keyId.string
        merkleRoot = try digest(.merkleRoot)
        runId = try text(.runId)
        sealedAt = at
        tenantId = try text(.tenantId)
        traceId = try text(.traceId)
        self.signature = signature?.string
        if let line = m.checkpointSignature {
            guard let text = line.string else { throw RunProofError(.malformed, "seal checkpoint_signature is not a string") }
            guard self.signature != nil else { throw RunProofError(.malformed, "an unsigned seal carries a checkpoint_signature") }
            checkpointSignature = text
        }
    }
}

/// Reads the members of a seal record from canonical JSON, or gives up (nil) on anything else: a key out of order
/// or unknown, an escape, a control character or ill-formed UTF-8 in a string, a number that is not a plain integer of at
/// most 15 digits, `false`, an array, whitespace. What it gives up on is read through a JSON tree instead, which
/// gives the same result for what both read.
struct SealRecordScanner {
    private let b: UnsafeRawBufferPointer
    private var i = 0

    init(_ bytes: UnsafeRawBufferPointer) { b = bytes }

    mutating func members() -> Seal.Members? {
        var members = Seal.Members()
        var sawSeal = false
        let ok = object { key, scanner in
            switch key {
            case "checkpoint_signature":
                members.checkpointSignature = scanner.value()
                return members.checkpointSignature != nil
            case "signature":
                members.signature = scanner.value()
                return members.signature != nil
            case "seal":
                sawSeal = true
                // The keys come in order, as the cases do: each is looked for from the last one found on.
                var next = 0
                return scanner.object { key, scanner in
                    while next < Seal.Key.allCases.count, Seal.Key.allCases[next].name != key { next += 1 }
                    guard next < Seal.Key.allCases.count, let value = scanner.value() else { return false }
                    members.seal[next] = value
                    return true
                }
            default: return false
            }
        }
        guard ok, sawSeal, i == b.count else { return nil }
        return members
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard i < b.count, b[i] == byte else { return false }
        i += 1
        return true
    }

    /// A string without escapes or control characters, of well-formed UTF-8.
    private mutating func string() -> String? {
        guard take(0x22) else { return nil }
        let start = i
        var ascii = true
        while i < b.count {
            let c = b[i]
            i += 1
            if c == 0x22 {
                let bytes = UnsafeRawBufferPointer(rebasing: b[start ..< i - 1])
                return ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
            }
            guard c >= 0x20, c != 0x5C, c != 0x7F else { return nil }
            ascii = ascii && c < 0x80
        }
        return nil
    }

    /// An object's members in strictly increasing key order (as canonical JSON has them, with no key twice),
    /// each value read by `member`; false when anything is not as expected.
    private mutating func object(_ member: (String, inout SealRecordScanner) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        var previous: String?
        repeat {
            guard let key = string(), previous.map({ $0.utf8.lexicographicallyPrecedes(key.utf8) }) ?? true,
                  take(UInt8(ascii: ":")), member(key, &self) else { return false }
            previous = key
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// A string, `null`, `true`, or an integer of at most 15 digits without a leading zero.
    private mutating func value() -> Seal.Member? {
        guard i < b.count else { return nil }
        switch b[i] {
        case 0x22: return string().map(Seal.Member.string)
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .true : nil
        case UInt8(ascii: "0") ... UInt8(ascii: "9"):
            let start = i
            var v = 0
            while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                guard i - start < 15 else { return nil }
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard i - start == 1 || b[start] != UInt8(ascii: "0"),
                  i == b.count || (b[i] != UInt8(ascii: ".") && b[i] | 0x20 != UInt8(ascii: "e")) else { return nil }
            return .integer(v)
        default: return nil
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let word = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard b[i...].starts(with: word) else { return false }
        i += word.count
        return true
    }
}
