import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Step lines of an export read together and made ready together: canonical form, classification, leaf hash.
///
/// The reading thread fills a batch and hands it to a worker (or processes it itself); it then takes the batches
/// back in the order it read them, so the lines reach the verifier in file order. A batch is touched by one thread
/// at a time: the worker between `dispatch` and its `done` signal, the reading thread otherwise.
final class LineBatch: @unchecked Sendable {
    /// The most lines, and about the most bytes, one batch holds: memory stays bounded whatever the file's size.
    static let maxLines = 512, maxBytes = 1 << 20

    enum Ready {
        case full(index: Int, range: Range<Int>, leaf: Digest, legacy: Range<Int>?)
        case redacted(index: Int, leaf: Digest, range: Range<Int>)
        case leafRecord(from: Int, leaves: [Digest], range: Range<Int>)
        case failure(Error)
    }

    // One thread at a time (above): no per-access exclusivity checks on what a batch holds.
    /// The lines as read, back to back, and where each ends.
    @exclusivity(unchecked) private var input: [UInt8] = []
    @exclusivity(unchecked) private var ends: [Int] = []
    private var firstLine = 0
    /// Their canonical forms, back to back, and what each is; the full steps' lines of the legacy root.
    @exclusivity(unchecked) private var canonical: [UInt8] = []
    @exclusivity(unchecked) private var legacy: [UInt8] = []
    @exclusivity(unchecked) private var ready: [Ready] = []
    @exclusivity(unchecked) private var jcs = JCS()
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    private let hasher = SHA256()
    private let done = DispatchSemaphore(value: 0)

    /// Reads the next lines; false when there were none. A read error (a line over the length limit) is returned
    /// with the lines read before it, which come first.
    private func fill(_ lines: LineReader) -> (read: Bool, error: Error?) {
        input.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        firstLine = lines.lineNumber + 1
        do {
            while ends.count < LineBatch.maxLines, input.count < LineBatch.maxBytes,
                  try lines.next({ line -> Void in input.append(contentsOf: line); ends.append(input.count) }) != nil {}
        } catch {
            return (!ends.isEmpty, error)
        }
        return (!ends.isEmpty, nil)
    }

    /// Makes every line ready; stops at the first that is not a step line.
    private func process() {
        canonical.removeAll(keepingCapacity: true)
        legacy.removeAll(keepingCapacity: true)
        ready.removeAll(keepingCapacity: true)
        var start = 0
        for (i, end) in ends.enumerated() {
            defer { start = end }
            do { ready.append(try prepare(line: i, start ..< end)) } catch {
                ready.append(.failure(error))
                return
            }
        }
    }

    private func prepare(line i: Int, _ bytes: Range<Int>) throws -> Ready {
        let number = firstLine + i
        scratch.removeAll(keepingCapacity: true)
        try input.withUnsafeBytes { raw in
            let line = UnsafeRawBufferPointer(rebasing: raw[bytes])
            do { try jcs.canonicalize(line, into: &scratch) } catch {
                throw ExportReader.StepError(line: number, stepIndex: ExportReader.guessIndex(line), reason: "\(error)")
            }
        }
        let range = canonical.count ..< canonical.count + scratch.count
        canonical.append(contentsOf: scratch)
        return try scratch.withUnsafeBytes { raw -> Ready in
            // A line made canonical by the parser is checked as it now is, for where its members end.
            if jcs.memberEnds.isEmpty, scratch.first == UInt8(ascii: "{") { _ = jcs.isCanonical(raw) }
            switch try ExportReader.classify(scratch, raw, memberEnds: jcs.memberEnds, line: number) {
            case let .full(index, skillName, status):
                var line: Range<Int>?
                if let skillName, let status {
                    // `index:skill_name:status`, the fields' decoded UTF-8 (their bytes, when they hold no escape).
                    let start = legacy.count
                    legacy.append(contentsOf: String(index).utf8)
                    append(skillName, from: scratch)
                    append(status, from: scratch)
                    line = start ..< legacy.count
                }
                return .full(index: index, range: range, leaf: Leaf.hash(raw, with: hasher), legacy: line)
            case let .redacted(index, leaf): return .redacted(index: index, leaf: leaf, range: range)
            case let .leafRecord(from, leaves): return .leafRecord(from: from, leaves: leaves, range: range)
            }
        }
    }

    /// Appends `:` and a field's text to the legacy lines.
    private func append(_ text: ExportReader.StepText, from line: [UInt8]) {
        legacy.append(UInt8(ascii: ":"))
        switch text {
        case .raw(let range): legacy.append(contentsOf: line[range])
        case .decoded(let string): legacy.append(contentsOf: string.utf8)
        }
    }

    /// Hands the lines to `body` in order, each with its leaf (full steps) and canonical bytes; false once it said stop.
    private func deliver(_ body: (ExportFile.Step, Digest?, UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        try canonical.withUnsafeBytes { all in try legacy.withUnsafeBytes { lines in
            for item in ready {
                let keepGoing: Bool
                switch item {
                case let .full(index, range, leaf, line):
                    let bytes = UnsafeRawBufferPointer(rebasing: all[range])
                    let legacyLine = line.map { UnsafeRawBufferPointer(rebasing: lines[$0]) }
                    keepGoing = try body(.full(index: index, canonical: bytes, legacyLine: legacyLine), leaf, bytes)
                case let .redacted(index, leaf, range):
                    keepGoing = try body(.redacted(index: index, leaf: leaf), nil, UnsafeRawBufferPointer(rebasing: all[range]))
                case let .leafRecord(from, leaves, range):
                    keepGoing = try body(.leafRecord(from: from, leaves: leaves), nil, UnsafeRawBufferPointer(rebasing: all[range]))
                case .failure(let error):
                    throw error
                }
                if !keepGoing { return false }
            }
            return true
        } }
    }

    /// Streams the lines of `lines` through `body` in order, made ready by `workers` threads (0: on this one), with at
    /// most a few batches in flight. Returns true when every line was read, false when `body` said stop.
    static func stream(_ lines: LineReader, workers: Int,
                       _ body: (ExportFile.Step, Digest?, UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        let pool = WorkerPool(width: workers)
        var spare = (0 ..< pool.depth).map { _ in LineBatch() }
        var inFlight: [LineBatch] = []
        // Whatever happens, no worker still holds a batch when this returns.
        defer { for batch in inFlight { batch.done.wait() } }
        var readError: Error?, atEnd = false
        while true {
            while !atEnd, readError == nil, let batch = spare.popLast() {
                let (read, error) = batch.fill(lines)
                readError = error
                guard read else { atEnd = true; spare.append(batch); break }
                inFlight.append(batch)
                pool.run { batch.process(); batch.done.signal() }
            }
            guard !inFlight.isEmpty else { break }
            let batch = inFlight.removeFirst()
            batch.done.wait()
            guard try batch.deliver(body) else { return false }
            spare.append(batch)
        }
        if let readError { throw readError }
        return true
    }
}

extension ExportFile {
    /// The worker threads that make lines ready while the calling thread reads and chains them: one per online core
    /// (the calling thread mostly waits), none on one core. RUNPROOF_THREADS=N overrides (0: all on one thread).
    public static var workers: Int {
        if let text = getenv("RUNPROOF_THREADS").map({ String(cString: $0) }), let threads = Int(text), threads >= 0 {
            return min(threads, 64)
        }
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return cores > 1 ? min(8, cores) : 0
    }
}
