import Dispatch
import RunProofCore

/// Stored rows copied together and made ready together (canonical bytes, leaf hash, legacy line) on a worker thread,
/// then handed back in order: the store path's counterpart of the export reader's `LineBatch`. A batch is touched by
/// one thread at a time: the one that took its turn until the turn is done, the reading thread otherwise.
final class RowBatch: PoolBatch, @unchecked Sendable {
    /// The most rows, and about the most bytes, a batch holds: memory stays bounded whatever the rows' sizes.
    static let maxRows = 512, maxBytes = 1 << 20

    private enum Field {
        case null, text(Range<Int>), integer(Int64), double(Double)
    }

    private enum Ready {
        case step(index: Int?, range: Range<Int>, leaf: Digest, legacy: Range<Int>?, recorded: Digest?)
        case failure(StepEncodingError)
    }

    /// The rows as read: every field of each (in `StepField` order), their text bytes, their recorded leaves, and
    /// (for rows of many traces) each row's trace id in `text`.
    // One thread at a time touches a batch (see above): the per-access exclusivity checks (10% of a store
    // verification's CPU in a profile) are left out for these.
    @exclusivity(unchecked) private var fields: [Field] = []
    @exclusivity(unchecked) private var text: [UInt8] = []
    @exclusivity(unchecked) private var recorded: [Digest?] = []
    @exclusivity(unchecked) private var keys: [Range<Int>] = []
    /// What the worker made of them.
    @exclusivity(unchecked) private var canonical: [UInt8] = []
    @exclusivity(unchecked) private var legacy: [UInt8] = []
    @exclusivity(unchecked) private var ready: [Ready] = []
    @exclusivity(unchecked) private var preparer = StepPreparer()
    let turn = Turn()

    var count: Int { recorded.count }
    var isFull: Bool { count == RowBatch.maxRows || text.count >= RowBatch.maxBytes }

    private func reset() {
        fields.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        recorded.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
    }

    /// Copies a row (its values are valid only during the store's callback).
    private func add(_ value: (StepField) -> FieldValue, recorded leaf: Digest?) {
        for field in StepField.allCases {
            switch value(field) {
            case .null: fields.append(.null)
            case .integer(let i): fields.append(.integer(i))
            case .double(let d): fields.append(.double(d))
            case .text(let bytes):
                let start = text.count
                text.append(contentsOf: bytes)
                fields.append(.text(start ..< text.count))
            }
        }
        recorded.append(leaf)
    }

    /// Copies a row of many traces: its trace id, then its step fields.
    private func add(key: UnsafeRawBufferPointer, _ value: (StepField) -> FieldValue) {
        let start = text.count
        text.append(contentsOf: key)
        keys.append(start ..< text.count)
        add(value, recorded: nil)
    }

    /// Makes every row ready (a row that cannot be canonicalized is kept as its error).
    func process() {
        canonical.removeAll(keepingCapacity: true)
        legacy.removeAll(keepingCapacity: true)
        ready.removeAll(keepingCapacity: true)
        let width = StepField.allCases.count
        // Read through locals: a class's array read field by field is retained and released at every read.
        let fields = self.fields, recorded = self.recorded
        text.withUnsafeBytes { bytes in
            for row in 0 ..< recorded.count {
                let base = row * width
                let value = { (field: StepField) -> FieldValue in
                    switch fields[base + field.rawValue] {
                    case .null: .null
                    case .integer(let i): .integer(i)
                    case .double(let d): .double(d)
                    case .text(let range): .text(UnsafeRawBufferPointer(rebasing: bytes[range]))
                    }
                }
                let start = canonical.count
                do {
                    let (index, leaf, hasLegacy) = try preparer.prepare(value, appendingTo: &canonical)
                    let range = start ..< canonical.count
                    var line: Range<Int>?
                    if hasLegacy {
                        line = legacy.count ..< legacy.count + preparer.legacy.count
                        legacy.append(contentsOf: preparer.legacy)
                    }
                    ready.append(.step(index: index, range: range, leaf: leaf, legacy: line, recorded: recorded[row]))
                } catch let error as StepEncodingError {
                    canonical.removeSubrange(start...)
                    ready.append(.failure(error))
                } catch {
                    preconditionFailure("prepare throws only StepEncodingError")
                }
            }
        }
    }

    /// Row `row` made ready: its step (valid during `body`), or why it cannot be canonicalized.
    private func withStep<R>(at row: Int, _ body: (Result<StoredStep, StepEncodingError>) throws -> R) rethrows -> R {
        switch ready[row] {
        case .failure(let error): return try body(.failure(error))
        case let .step(index, range, leaf, line, recorded):
            return try canonical.withUnsafeBytes { all in try legacy.withUnsafeBytes { lines in
                try body(.success(StoredStep(index: index, bytes: UnsafeRawBufferPointer(rebasing: all[range]), leaf: leaf,
                                             recorded: recorded, legacyLine: line.map { UnsafeRawBufferPointer(rebasing: lines[$0]) })))
            } }
        }
    }

    /// Hands the rows to `body` in order; false once it said stop. Throws the first row's encoding error.
    private func deliver(_ body: (StoredStep) throws -> Bool) throws -> Bool {
        for row in ready.indices {
            guard try withStep(at: row, { try body(try $0.get()) }) else { return false }
        }
        return true
    }

    /// Streams a trace's rows through `body` in order, made ready by `workers` threads, a few batches in flight.
    static func stream(_ store: any TraceStore, trace: TraceRow, from: Int, recordedLeaves: Bool, workers: Int,
                       _ body: (StoredStep) throws -> Bool) throws {
        let pool = WorkerPool(width: workers)
        var spare = (0 ..< pool.depth).map { _ in RowBatch() }
        var inFlight: [RowBatch] = []
        // Whatever happens, no worker still holds a batch when this returns.
        defer { pool.abandon(inFlight) }
        var current = spare.removeLast()
        func dispatch() {
            let batch = current
            inFlight.append(batch)
            pool.hand(batch)
        }
        func deliverOldest() throws -> Bool {
            let batch = inFlight.removeFirst()
            pool.wait(for: batch, helping: inFlight)
            let keepGoing = try batch.deliver(body)
            batch.reset()
            spare.append(batch)
            return keepGoing
        }
        var stopped = false
        try store.forEachStep(of: trace, from: from, recordedLeaves: recordedLeaves) { value, leaf in
            current.add(value, recorded: leaf)
            guard current.isFull else { return true }
            dispatch()
            while spare.isEmpty {
                guard try deliverOldest() else { stopped = true; return false }
            }
            current = spare.removeLast()
            return true
        }
        if stopped { return }
        if current.count > 0 { dispatch() }
        while !inFlight.isEmpty {
            guard try deliverOldest() else { return }
        }
    }

    /// Rows of many traces read ahead from `rows` (column 0 the trace id, then the step fields) and made ready by
    /// `workers` threads, a few batches in flight; `next()` moves through them in order on the calling thread.
    final class Pipeline {
        private let rows: RowCursor
        private let pool: WorkerPool
        private var spare: [RowBatch]
        private var inFlight: [RowBatch] = []
        private var delivering: RowBatch?
        private var position = -1
        private var rowsLeft = true

        init(_ rows: RowCursor, workers: Int) {
            self.rows = rows
            pool = WorkerPool(width: workers)
            spare = (0 ..< pool.depth).map { _ in RowBatch() }
        }

        // Whatever happens, no worker still holds a batch once the pipeline is gone.
        deinit { pool.abandon(inFlight) }

        /// Moves to the next row; false after the last.
        func next() throws -> Bool {
            position += 1
            if let batch = delivering, position < batch.ready.count { return true }
            if let batch = delivering {
                batch.reset()
                spare.append(batch)
                delivering = nil
            }
            while rowsLeft, let batch = spare.popLast() {
                while !batch.isFull {
                    guard try rows.next() else {
                        rowsLeft = false
                        break
                    }
                    rows.withKey { batch.add(key: $0) { rows.value($0.rawValue + 1) } }
                }
                guard batch.count > 0 else { spare.append(batch); break }
                inFlight.append(batch)
                pool.hand(batch)
            }
            guard !inFlight.isEmpty else { return false }
            let batch = inFlight.removeFirst()
            pool.wait(for: batch, helping: inFlight)
            delivering = batch
            position = 0
            return true
        }

        /// Whether the current row belongs to the trace `id`.
        func isTrace(_ id: [UInt8]) -> Bool {
            guard let batch = delivering else { return false }
            return batch.text[batch.keys[position]].elementsEqual(id)
        }

        /// The current row made ready: its step (valid until `next()`), or why it cannot be canonicalized.
        func withStep<R>(_ body: (Result<StoredStep, StepEncodingError>) throws -> R) rethrows -> R {
            guard let batch = delivering else { preconditionFailure("withStep before next() found a row") }
            return try batch.withStep(at: position, body)
        }
    }
}
