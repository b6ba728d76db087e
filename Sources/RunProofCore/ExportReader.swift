#if canImport(Glibc)
import Glibc
#endif

/// Reads an export file: the header and the trailing records up front, then the steps and the seals as streams.
///
/// The seal lines are checked and counted up front but not held: `sealStream()` reads them again, one at a time,
/// with a cursor of its own beside the step cursor (docs/chain-v1.md 7), so memory does not grow with them.
package final class ExportReader {
    /// A step line that is not a step: names the line and, when known, the step.
    struct StepError: Error, CustomStringConvertible {
        var line: Int
        var stepIndex: Int?
        var reason: String
        /// A malformed leaf-record line: not a step, so it names no step.
        var isLeafRecord = false
        var description: String {
            "step \(stepIndex.map(String.init) ?? "at line \(line)") is not canonicalizable or not a step: \(reason) (line \(line))"
        }
    }

    typealias Record = (kind: String, record: JSONValue, canonical: [UInt8])

    package let header: TraceHeader
    /// How many seal lines the file has, and the last of them.
    let sealCount: Int
    package let lastSeal: Seal?
    /// The trailing records after the seals, in file order (in a bundle: evidence, governance and the bundle
    /// signature), one of each kind at most.
    let trailer: [Record]
    /// SHA-256 over every canonical line but the bundle signature, each followed by `\n`; set once all steps were read.
    private(set) var contentDigest: Digest?
    private let headerCanonical: [UInt8]
    private let file: FileHandle
    private let stepsStart: Int
    private let stepsEnd: Int
    /// The byte range of the seal lines (without the newline after the last).
    private let seals: Range<Int>

    /// The trailing lines: seals, then a bundle's own (`AuditBundle.lineKinds`).
    static let trailerKinds = ["seal"] + AuditBundle.lineKinds

    package init(path: String) throws {
        file = try FileHandle(reading: path)
        let size = file.size
        let first = LineReader(file, from: 0, to: size, firstLine: 1)
        var headerLength = 0
        let headerJSON: JSONValue
        do {
            guard let json = try first.next({ line throws -> JSONValue in
                headerLength = line.count + 1
                return try JSONValue(parsing: Array(line))
            }) else { throw RunProofError(.notFound, "\(path) is empty: nothing to verify") }
            headerJSON = json
        } catch let error as RunProofError { throw error
        } catch { throw RunProofError(.malformed, "header line: \(error)") }
        header = try TraceHeader(json: headerJSON)
        headerCanonical = headerJSON.canonicalBytes
        stepsStart = min(headerLength, size)
        let tail = try ExportReader.trailingRecords(file, size: size, floor: stepsStart)
        (trailer, sealCount, lastSeal, seals, stepsEnd) = (tail.records, tail.sealCount, tail.lastSeal, tail.seals, tail.stepsEnd)
    }

    /// Reads the trailing record lines from the end of the file back to the first other line: keeps the records
    /// that are not seals, checks every seal line and keeps only the last.
    private static func trailingRecords(_ file: FileHandle, size: Int, floor: Int) throws
        -> (records: [Record], sealCount: Int, lastSeal: Seal?, seals: Range<Int>, stepsEnd: Int) {
        var records: [Record] = []
        var sealCount = 0, lastSeal: Seal?, seals = size ..< size
        var rank = trailerKinds.count, outOfOrder = false
        let lines = try BackwardLineReader(file, floor: floor, end: size)
        var stepsEnd = lines.end
        // A seal line signed with a checkpoint signature starts with that key (JCS order), before "seal".
        let sealPrefixes = [Array(#"{"checkpoint_signature":"#.utf8), Array(#"{"seal":"#.utf8)]
        let prefixes = trailerKinds.map { (kind: $0, bytes: Array("{\"\($0)\"".utf8)) }
            + [(kind: "seal", bytes: Array(#"{"checkpoint_signature""#.utf8))]
        /// Counts a seal line starting at `start`: the seal lines begin there, and the steps end before it.
        func countSeal(at start: Int) {
            rank = 0
            seals = start ..< seals.upperBound
            sealCount += 1
            stepsEnd = max(floor, start - 1)
        }
        while let (start, line) = try lines.previous() {
            // The common case, read no further now: a line that starts as a seal line is one (RunProof writes them
            // so). The last seal is read and checked here; the others by the seal stream, which reads them again.
            if lastSeal != nil, sealPrefixes.contains(where: { line.starts(with: $0) }) {
                countSeal(at: start)
                continue
            }
            // Otherwise a trailing record is recognized by its keys (a seal line may start with
            // "checkpoint_signature"); a line that does not parse is one only if it starts like one.
            let canonical: [UInt8]
            do { canonical = try JCS.canonicalize(Array(line)) } catch {
                guard let kind = prefixes.first(where: { line.starts(with: $0.bytes) })?.kind else { break }
                throw RunProofError(.malformed, "\(kind) line: \(error)")
            }
            if sealPrefixes.contains(where: { canonical.starts(with: $0) }) {
                if lastSeal == nil {
                    var reader = CanonicalReader(canonical)
                    do { lastSeal = try Seal(record: reader.value()) } catch { throw RunProofError(.malformed, "seal line: \(error.message)") }
                    seals = start ..< start + line.count
                }
                countSeal(at: start)
                continue
            }
            var reader = CanonicalReader(canonical)
            let value = reader.value()
            guard let kind = trailerKinds.first(where: { value[$0] != nil }) else { break }
            let kindRank = trailerKinds.firstIndex(of: kind)!
            if kindRank > rank { outOfOrder = true }
            rank = min(rank, kindRank)
            if kind == "seal" {
                // A seal line that is not canonical-prefixed: a seal key among others, read as a seal (and refused).
                do { _ = try Seal(record: value) } catch { throw RunProofError(.malformed, "seal line: \(error.message)") }
                throw RunProofError(.malformed, "seal line: not a seal record")
            } else {
                // A bundle's own lines are one each (and are held in memory until verified).
                if records.contains(where: { $0.kind == kind }) { throw RunProofError(.malformed, "more than one \(kind) line") }
                records.append((kind, value, canonical))
            }
            stepsEnd = max(floor, start - 1)
        }
        if outOfOrder {
            throw RunProofError(.malformed, "trailing lines are out of order (seals, evidence, governance, bundle_signature)")
        }
        return (records.reversed(), sealCount, lastSeal, seals, stepsEnd)
    }

    /// The seal lines as a stream, read with a cursor of their own (the checks of the first read hold:
    /// a line that changed since is malformed).
    func sealStream() -> SealStream {
        let lines = LineReader(file, from: seals.lowerBound, to: seals.upperBound, firstLine: 1)
        return SealStream(count: sealCount, last: lastSeal) {
            try lines.next { line throws -> Seal in
                do throws(RunProofError) { return try Seal(recordBytes: line) } catch { throw RunProofError(.malformed, "seal line: \(error.message)") }
            }
        }
    }

    /// The first seal at `length` (a closing seal follows the seal it closes), or the latest when nil.
    package func seal(at length: Int?) throws -> Seal? {
        guard let length else { return lastSeal }
        let stream = sealStream()
        while let seal = try stream.next(), seal.chainLength <= length {
            if seal.chainLength == length { return seal }
        }
        return nil
    }

    /// Streams the step lines, canonicalizing each; throws `StepError` on the first bad line. With `workers`, the
    /// lines are made ready (canonical form, classification, leaf hash) on that many threads, in batches; `body`
    /// still sees them in order, on this thread (`ExportReader+Batches`).
    package func forEachStep(workers: Int = 0, _ body: (ExportFile.Step) throws -> Bool) throws {
        try forEachLine(workers: workers) { step, _ in try body(step) }
    }

    /// Like `forEachStep`, with each full step's leaf hash, computed where the line was made ready.
    func forEachLine(workers: Int, _ body: (ExportFile.Step, Digest?) throws -> Bool) throws {
        // Only a bundle needs the content digest: hash every canonical line when it has a signature line.
        let content = trailer.last?.kind == "bundle_signature" ? SHA256() : nil
        content?.update(headerCanonical + [0x0A])
        contentDigest = nil
        let finished = try LineBatch.stream(file, stepsStart ..< max(stepsStart, stepsEnd), firstLine: 2, workers: workers) { step, leaf, canonical in
            if let content { content.update(bufferPointer: canonical); content.update(byte: 0x0A) }
            return try body(step, leaf)
        }
        if finished, let content {
            var jcs = JCS()
            var canonical: [UInt8] = []
            let lines = LineReader(file, from: seals.lowerBound, to: seals.upperBound, firstLine: 1)
            while try lines.next({ line throws -> Void in
                canonical.removeAll(keepingCapacity: true)
                try jcs.canonicalize(line, into: &canonical)
                content.update(canonical)
                content.update(byte: 0x0A)
            }) != nil {}
            for record in trailer where record.kind != "bundle_signature" { content.update(record.canonical + [0x0A]) }
            contentDigest = content.finalize()
        }
    }

    /// What a canonical step line is (a full step's bytes are the line itself).
    enum Classified {
        /// A full step; `skillName` and `status` are nil when not strings.
        case full(index: Int, skillName: String?, status: String?)
        case redacted(index: Int, leaf: Digest)
        case leafRecord(from: Int, leaves: [Digest])
    }

    /// Reads a canonical line that is not a full step fitting the step template (which `LineBatch` reads itself):
    /// a redacted step, a leaf record, a full step whose index is not a plain integer, or no step at all (thrown).
    static func classify(_ canonical: [UInt8], line: Int) throws -> Classified {
        var keys: [String] = []
        var index: Int?
        var skillName: String?, status: String?, leaf: Digest?
        var reader = CanonicalReader(canonical)
        guard canonical.first == UInt8(ascii: "{") else { throw StepError(line: line, reason: "not a JSON object") }
        if canonical.starts(with: ExportReader.leafRecordPrefix) { return try leafRecord(canonical, line: line) }
        try CanonicalReader.forEachMember(of: canonical) { key, range in
            keys.append(key)
            reader.pos = range.lowerBound
            switch key {
            case "step_index": index = reader.value().int
            case "skill_name": skillName = reader.value().string
            case "status": status = reader.value().string
            case "leaf": leaf = reader.value().string.flatMap { Digest(hex: $0) }
            case "seal", "checkpoint_signature": throw StepError(line: line, reason: "a seal line among the steps")
            default: break
            }
        }
        guard let index else { throw StepError(line: line, reason: "step_index is missing or not an integer") }
        if keys == ["leaf", "step_index"] {
            guard let leaf else { throw StepError(line: line, stepIndex: index, reason: "leaf is not a SHA-256 hex digest") }
            return .redacted(index: index, leaf: leaf)
        }
        let present = Set(keys)
        if let missing = StepField.keySet.subtracting(present).sorted().first {
            throw StepError(line: line, stepIndex: index, reason: "key \"\(missing)\" is missing")
        }
        if let extra = present.subtracting(StepField.keySet).sorted().first {
            throw StepError(line: line, stepIndex: index, reason: "unexpected key \"\(extra)\"")
        }
        return .full(index: index, skillName: skillName, status: status)
    }

    static let leafRecordPrefix = Array(#"{"leaf_record":"#.utf8)

    /// Reads `{"leaf_record": {"from": p, "leaves": base64}}`.
    private static func leafRecord(_ canonical: [UInt8], line: Int) throws -> Classified {
        var reader = CanonicalReader(canonical)
        let record = reader.value()
        guard record.objectKeys == ["leaf_record"], let body = record["leaf_record"], Set(body.objectKeys) == ["from", "leaves"],
              let from = body["from"]?.int, from >= 0, let text = body["leaves"]?.string, let raw = Base64.decode(text),
              !raw.isEmpty, raw.count % 32 == 0, raw.count / 32 <= ExportFile.leafRecordBlock
        else {
            throw StepError(line: line, reason: #"malformed leaf record (expected {"leaf_record": {"from": n, "leaves": base64 of 1 to 1024 32-byte hashes}})"#,
                            isLeafRecord: true)
        }
        let leaves = stride(from: 0, to: raw.count, by: 32).map { Digest(bytes: raw[$0 ..< $0 + 32])! }
        return .leafRecord(from: from, leaves: leaves)
    }

    /// Best-effort step index of a line that does not parse, for the error message.
    static func guessIndex(_ line: UnsafeRawBufferPointer) -> Int? {
        let key = Array("\"step_index\":".utf8)
        guard let base = line.baseAddress else { return nil }
        // From each quote on (found by memchr: a long line without one costs nothing).
        var from = 0
        while let quote = memchr(base + from, 0x22, line.count - from) {
            let at = quote - UnsafeMutableRawPointer(mutating: base)
            if line.count - at >= key.count, memcmp(quote, key, key.count) == 0 {
                let digits = line[(at + key.count)...].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                return Int(String(decoding: digits, as: UTF8.self))
            }
            from = at + 1
        }
        return nil
    }
}
