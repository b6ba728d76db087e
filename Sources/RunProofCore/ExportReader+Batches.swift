import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Step lines of an export read together and made ready together: canonical form, classification, leaf hash.
///
/// The reading thread fills a batch with a block of the file cut at a line end and opens its turn; a pool thread, or
/// the reading thread itself, takes the turn and splits and prepares the lines. The reading thread then takes the
/// batches back in the order it read them, so the lines reach the verifier in file order. A batch is touched by one
/// thread at a time: the one that took its turn until the turn is done, the reading thread otherwise.
final class LineBatch: PoolBatch, @unchecked Sendable {
    /// The bytes read at once: memory stays bounded whatever the file's size (a longer line grows its batch, up to
    /// `LineReader.maxLine`).
    static let blockSize = 1 << 20

    /// Where a line's canonical bytes are: the line itself (the common case), or its rewritten form.
    struct Bytes {
        var range: Range<Int>
        var rewritten: Bool
    }

    enum Ready {
        case full(index: Int, bytes: Bytes, leaf: Digest, legacy: Range<Int>?)
        case redacted(index: Int, leaf: Digest, bytes: Bytes)
        case leafRecord(from: Int, leaves: [Digest], bytes: Bytes)
        /// The line's error; a `StepError` names the line by its place in the batch (0 for the first).
        case failure(Error)
    }

    /// The lines as read, from `input[1]` (the first byte is spare, for `Leaf.hash(afterSpareByte:)`): each ends
    /// with a newline, but for the last line of the range. Once processed, the byte before each line hashed in place
    /// (its newline, or the spare byte) holds the leaf tag instead: only the lines' own bytes are read afterwards.
    private var input: UnsafeMutableRawBufferPointer
    private var count = 1
    /// How many lines `process()` went through (up to and including a failing one).
    private var lines = 0
    // One thread at a time (above): no per-access exclusivity checks on what a batch holds.
    /// The canonical forms of lines that were not canonical, back to back; the full steps' lines of the legacy root.
    @exclusivity(unchecked) private var rewritten: [UInt8] = []
    @exclusivity(unchecked) private var legacy: [UInt8] = []
    @exclusivity(unchecked) private var ready: [Ready] = []
    @exclusivity(unchecked) private var jcs = JCS()
    @exclusivity(unchecked) private var scratch: [UInt8] = []
    /// Where each member's value of the line being checked ends.
    private let valueEnds = UnsafeMutableBufferPointer<Int>.allocate(capacity: StepField.allCases.count)
    private let hasher = SHA256()
    let turn = Turn()

    init() { input = .allocate(byteCount: LineBatch.blockSize, alignment: 16) }

    deinit {
        input.deallocate()
        valueEnds.deallocate()
    }

    /// Fills the batch with the next whole lines of `blocks` (the start of a line it cuts off is kept for the next
    /// batch); false when there were none. A line of more than `LineReader.maxLine` bytes throws
    /// `LineBlocks.TooLong` when it is the batch's first line, so that the lines before it are delivered first.
    fileprivate func fill(_ blocks: LineBlocks) throws -> Bool {
        // A batch grown for a long line goes back to its usual size.
        let size = max(LineBatch.blockSize, 1 + blocks.carry.count)
        if input.count != size { resize(to: size, keeping: 0) }
        count = 1 + blocks.carry.count
        blocks.carry.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[1...]).copyMemory(from: $0) }
        blocks.carry.removeAll(keepingCapacity: true)
        while blocks.offset < blocks.limit {
            // Full without a newline: one line so far, given room for the longest line and its newline.
            if count == input.count { resize(to: min(2 * input.count, LineReader.maxLine + 2), keeping: count) }
            let want = min(input.count - count, blocks.limit - blocks.offset)
            let n = try blocks.file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[count ..< count + want]), at: blocks.offset)
            guard n > 0 else { throw RunProofError(.io, "\(blocks.file.path) shrank while being read") }
            blocks.offset += n
            count += n
            // Only the bytes just read can hold a newline: the batch is read further only while it has none.
            let fresh = count - n ..< count
            guard memchr(input.baseAddress! + fresh.lowerBound, 0x0A, n) != nil, let newline = input[fresh].lastIndex(of: 0x0A) else {
                guard count - 1 <= LineReader.maxLine else { throw LineBlocks.TooLong() }
                continue
            }
            // Before the range's end a batch ends at its last newline; at the end the rest is the range's last line,
            // kept for a batch of its own when it is too long.
            if blocks.offset < blocks.limit || count - (newline + 1) > LineReader.maxLine {
                blocks.carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[(newline + 1) ..< count]))
                count = newline + 1
                return true
            }
        }
        // The range's last line, carried alone (no newline in the batch) when too long.
        if count - 1 > LineReader.maxLine, memchr(input.baseAddress! + 1, 0x0A, count - 1) == nil { throw LineBlocks.TooLong() }
        return count > 1
    }

    /// A buffer of `size` bytes holding the first `keeping` bytes of the old one.
    private func resize(to size: Int, keeping: Int) {
        let resized = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        resized.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[..<keeping]))
        input.deallocate()
        input = resized
    }

    /// Makes every line ready; stops at the first that is not a step line.
    func process() {
        rewritten.removeAll(keepingCapacity: true)
        legacy.removeAll(keepingCapacity: true)
        ready.removeAll(keepingCapacity: true)
        lines = 0
        let base = UnsafeRawPointer(input.baseAddress!)
        let template = StepField.prefixes
        var start = 1
        while start < count {
            lines += 1
            // A canonical full step as it stands, found by the step template (which also finds where its line ends);
            // any other line through the canonicalizer.
            let rest = UnsafeRawBufferPointer(start: base + start, count: count - start)
            if let length = jcs.canonicalLine(rest, prefixes: template.bytes, ends: template.ends, valueEnds: valueEnds),
               let step = readStep(UnsafeRawBufferPointer(rebasing: rest[..<length])) {
                // The byte before the line (a newline, or the spare first byte) takes the leaf's tag.
                let leaf = Leaf.hash(afterSpareByte: UnsafeMutableRawBufferPointer(rebasing: input[start - 1 ..< start + length]), with: hasher)
                ready.append(.full(index: step.index, bytes: Bytes(range: start ..< start + length, rewritten: false), leaf: leaf, legacy: step.legacy))
                start += length + 1
                continue
            }
            let end = memchr(base + start, 0x0A, count - start).map { UnsafeRawPointer($0) - base } ?? count
            do { ready.append(try rewrite(line: lines - 1, UnsafeRawBufferPointer(rebasing: input[start ..< end]))) } catch {
                ready.append(.failure(error))
                return
            }
            start = end + 1
        }
    }

    /// The index of a line that fits the step template (`valueEnds` just set by `canonicalLine`), with its line of
    /// the legacy root, `index:skill_name:status`, appended to `legacy` when both are strings (nil otherwise). Nil
    /// when the index is not a plain integer: `ExportReader.classify` then reads it, or says why it is not one.
    private func readStep(_ line: UnsafeRawBufferPointer) -> (index: Int, legacy: Range<Int>?)? {
        let template = StepField.prefixes
        func value(_ field: StepField) -> UnsafeRawBufferPointer {
            let i = field.rawValue
            let start = i == 0 ? template.ends[0] : valueEnds[i - 1] + template.ends[i] - template.ends[i - 1]
            return UnsafeRawBufferPointer(rebasing: line[start ..< valueEnds[i]])
        }
        let digits = value(.stepIndex), skillName = value(.skillName), status = value(.status)
        guard let index = LineBatch.integer(digits) else { return nil }
        guard skillName.first == UInt8(ascii: "\""), status.first == UInt8(ascii: "\"") else { return (index, nil) }
        // The index as written (a plain integer is its own decimal form), then the strings' texts.
        let start = legacy.count
        legacy.append(contentsOf: digits)
        appendText(skillName)
        appendText(status)
        return (index, start ..< legacy.count)
    }

    /// Appends `:` and the text of a canonical string to the legacy lines: its bytes, decoded when they hold an escape.
    private func appendText(_ string: UnsafeRawBufferPointer) {
        legacy.append(UInt8(ascii: ":"))
        let inside = UnsafeRawBufferPointer(rebasing: string[1 ..< string.count - 1])
        if inside.isEmpty || memchr(inside.baseAddress!, 0x5C, inside.count) == nil {
            legacy.append(contentsOf: inside)
        } else {
            var reader = CanonicalReader(Array(string))
            legacy.append(contentsOf: reader.string().utf8)
        }
    }

    /// A canonical integer's value: `-?[0-9]{1,18}`, as `CanonicalReader.integer` reads it; nil for any other value.
    private static func integer(_ text: UnsafeRawBufferPointer) -> Int? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = text.dropFirst(negative ? 1 : 0)
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for c in digits {
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return negative ? -value : value
    }

    /// Any line that does not fit the step template as it stands: canonicalized into `rewritten`, then read as a step
    /// when its canonical form fits the template, else classified.
    private func rewrite(line i: Int, _ line: UnsafeRawBufferPointer) throws -> Ready {
        scratch.removeAll(keepingCapacity: true)
        do { try jcs.canonicalize(line, into: &scratch) } catch {
            throw ExportReader.StepError(line: i, stepIndex: ExportReader.guessIndex(line), reason: "\(error)")
        }
        let bytes = Bytes(range: rewritten.count ..< rewritten.count + scratch.count, rewritten: true)
        rewritten.append(contentsOf: scratch)
        return try scratch.withUnsafeBytes { raw -> Ready in
            let template = StepField.prefixes
            if jcs.canonicalLine(raw, prefixes: template.bytes, ends: template.ends, valueEnds: valueEnds) != nil, let step = readStep(raw) {
                return .full(index: step.index, bytes: bytes, leaf: Leaf.hash(raw, with: hasher), legacy: step.legacy)
            }
            switch try ExportReader.classify(scratch, line: i) {
            case let .full(index, skillName, status):
                var line: Range<Int>?
                if let skillName, let status {
                    let start = legacy.count
                    legacy.append(contentsOf: "\(index):\(skillName):\(status)".utf8)
                    line = start ..< legacy.count
                }
                return .full(index: index, bytes: bytes, leaf: Leaf.hash(raw, with: hasher), legacy: line)
            case let .redacted(index, leaf): return .redacted(index: index, leaf: leaf, bytes: bytes)
            case let .leafRecord(from, leaves): return .leafRecord(from: from, leaves: leaves, bytes: bytes)
            }
        }
    }

    /// Hands the lines to `body` in order, each with its leaf (full steps) and canonical bytes; false once it said stop.
    /// `firstLine` is the file's number of the batch's first line.
    private func deliver(firstLine: Int, _ body: (ExportFile.Step, Digest?, UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        let read = UnsafeRawBufferPointer(input)
        return try rewritten.withUnsafeBytes { rewritten in try legacy.withUnsafeBytes { lines in
            func canonical(_ bytes: Bytes) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: (bytes.rewritten ? rewritten : read)[bytes.range])
            }
            for item in ready {
                let keepGoing: Bool
                switch item {
                case let .full(index, bytes, leaf, line):
                    let step = canonical(bytes)
                    let legacyLine = line.map { UnsafeRawBufferPointer(rebasing: lines[$0]) }
                    keepGoing = try body(.full(index: index, canonical: step, legacyLine: legacyLine), leaf, step)
                case let .redacted(index, leaf, bytes):
                    keepGoing = try body(.redacted(index: index, leaf: leaf), nil, canonical(bytes))
                case let .leafRecord(from, leaves, bytes):
                    keepGoing = try body(.leafRecord(from: from, leaves: leaves), nil, canonical(bytes))
                case .failure(var error as ExportReader.StepError):
                    error.line += firstLine
                    throw error
                case .failure(let error):
                    throw error
                }
                if !keepGoing { return false }
            }
            return true
        } }
    }

    /// Streams the lines of `range` of `file` through `body` in order, made ready by `workers` threads (0 or 1: on
    /// this one), with at most a few batches in flight; `firstLine` is the number of its first line in the file.
    /// Returns true when every line was read, false when `body` said stop.
    ///
    /// The calling thread is one of the workers: rather than wait for the batch it delivers next, it makes batches
    /// ready itself (that one, if no pool thread has taken it, else the next ones), so that every core stays busy
    /// while the chain is built on this thread.
    static func stream(_ file: FileHandle, _ range: Range<Int>, firstLine: Int, workers: Int,
                       _ body: (ExportFile.Step, Digest?, UnsafeRawBufferPointer) throws -> Bool) throws -> Bool {
        let pool = WorkerPool(width: max(0, workers - 1))
        let blocks = LineBlocks(file, range)
        var spare = (0 ..< (workers > 1 ? 2 * workers + 2 : 1)).map { _ in LineBatch() }
        var inFlight: [LineBatch] = []
        // Whatever happens, no worker still holds a batch when this returns.
        defer { pool.abandon(inFlight) }
        var readError: Error?, atEnd = false, line = firstLine
        while true {
            while !atEnd, readError == nil, let batch = spare.popLast() {
                do {
                    guard try batch.fill(blocks) else { atEnd = true; spare.append(batch); break }
                } catch {
                    readError = error
                    spare.append(batch)
                    break
                }
                inFlight.append(batch)
                pool.hand(batch)
            }
            guard let batch = inFlight.first else { break }
            pool.wait(for: batch, helping: inFlight.dropFirst())
            inFlight.removeFirst()
            guard try batch.deliver(firstLine: line, body) else { return false }
            line += batch.lines
            spare.append(batch)
        }
        // Every line before the one that could not be read was delivered: it is line `line`.
        if readError is LineBlocks.TooLong {
            throw RunProofError(.malformed, "line \(line) of \(file.path) is longer than \(LineReader.maxLine) bytes")
        }
        if let readError { throw readError }
        return true
    }
}

/// A byte range of a file read in blocks that end at a line end, on the reading thread: one read and one search for
/// the last newline per block; the workers split the lines.
final class LineBlocks {
    struct TooLong: Error {}

    let file: FileHandle
    var offset: Int
    let limit: Int
    /// The start of the line the last block cut off: the next block begins with it.
    var carry: [UInt8] = []

    init(_ file: FileHandle, _ range: Range<Int>) {
        self.file = file
        offset = range.lowerBound
        limit = range.upperBound
    }
}

extension ExportFile {
    /// The threads that make lines or rows ready: one per online core, none on one core. For a file the calling thread
    /// (which also reads and chains the lines) is one of them; for a store it reads the rows and chains them beside
    /// them. RUNPROOF_THREADS=N overrides (0: all on the calling thread).
    public static var workers: Int {
        if let text = getenv("RUNPROOF_THREADS").map({ String(cString: $0) }), let threads = Int(text), threads >= 0 {
            return min(threads, 64)
        }
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return cores > 1 ? min(8, cores) : 0
    }
}
