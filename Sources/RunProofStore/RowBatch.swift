import Dispatch
import RunProofCore

/// Stored rows copied together and made ready together (canonical bytes, leaf hash, legacy line) on a worker thread,
/// then handed back in order: the store path's counterpart of the export reader's `LineBatch`. A batch is touched by
/// one thread at a time: the worker between `dispatch` and its `done` signal, the reading thread otherwise.
final class RowBatch: @unchecked Sendable {
    static let maxRows = 512

    private enum Field {
        case null, text(Range<Int>), integer(Int64), double(Double)
    }

    private enum Ready {
        case step(index: Int?, range: Range<Int>, leaf: Digest, legacy: Range<Int>?, recorded: Digest?)
        case failure(StepEncodingError)
    }

    /// The rows as read: every field of each (in `StepField` order), their text bytes, their recorded leaves.
    private var fields: [Field] = []
    private var text: [UInt8] = []
    private var recorded: [Digest?] = []
    /// What the worker made of them.
    private var canonical: [UInt8] = [], legacy: [UInt8] = []
    private var ready: [Ready] = []
    private var preparer = StepPreparer()
    private let done = DispatchSemaphore(value: 0)

    var count: Int { recorded.count }

    private func reset() {
        fields.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        recorded.removeAll(keepingCapacity: true)
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

    /// Makes every row ready; stops at the first that cannot be canonicalized.
    private func process() {
        canonical.removeAll(keepingCapacity: true)
        legacy.removeAll(keepingCapacity: true)
        ready.removeAll(keepingCapacity: true)
        let width = StepField.allCases.count
        text.withUnsafeBytes { bytes in
            for row in 0 ..< recorded.count {
                let base = row * width
                let value = { (field: StepField) -> FieldValue in
                    switch self.fields[base + field.rawValue] {
                    case .null: .null
                    case .integer(let i): .integer(i)
                    case .double(let d): .double(d)
                    case .text(let range): .text(UnsafeRawBufferPointer(rebasing: bytes[range]))
                    }
                }
                do {
                    let (index, leaf, hasLegacy) = try preparer.prepare(value)
                    let range = canonical.count ..< canonical.count + preparer.encoder.bytes.count
                    canonical.append(contentsOf: preparer.encoder.bytes)
                    var line: Range<Int>?
                    if hasLegacy {
                        line = legacy.count ..< legacy.count + preparer.legacy.count
                        legacy.append(contentsOf: preparer.legacy)
                    }
                    ready.append(.step(index: index, range: range, leaf: leaf, legacy: line, recorded: recorded[row]))
                } catch let error as StepEncodingError {
                    ready.append(.failure(error))
                    return
                } catch {
                    return // prepare throws only StepEncodingError
                }
            }
        }
    }

    /// Hands the rows to `body` in order; false once it said stop. Throws the first row's encoding error.
    private func deliver(_ body: (StoredStep) throws -> Bool) throws -> Bool {
        try canonical.withUnsafeBytes { all in try legacy.withUnsafeBytes { lines in
            for item in ready {
                switch item {
                case let .step(index, range, leaf, line, recorded):
                    let step = StoredStep(index: index, bytes: UnsafeRawBufferPointer(rebasing: all[range]), leaf: leaf, recorded: recorded,
                                          legacyLine: line.map { UnsafeRawBufferPointer(rebasing: lines[$0]) })
                    guard try body(step) else { return false }
                case .failure(let error):
                    throw error
                }
            }
            return true
        } }
    }

    /// Streams a trace's rows through `body` in order, made ready by `workers` threads, a few batches in flight.
    static func stream(_ store: any TraceStore, trace: TraceRow, from: Int, recordedLeaves: Bool, workers: Int,
                       _ body: (StoredStep) throws -> Bool) throws {
        let queue = DispatchQueue.global(qos: .userInitiated)
        var spare = (0 ..< 2 * workers + 2).map { _ in RowBatch() }
        var inFlight: [RowBatch] = []
        // Whatever happens, no worker still holds a batch when this returns.
        defer { for batch in inFlight { batch.done.wait() } }
        var current = spare.removeLast()
        func dispatch() {
            let batch = current
            inFlight.append(batch)
            queue.async { batch.process(); batch.done.signal() }
        }
        func deliverOldest() throws -> Bool {
            let batch = inFlight.removeFirst()
            batch.done.wait()
            let keepGoing = try batch.deliver(body)
            batch.reset()
            spare.append(batch)
            return keepGoing
        }
        var stopped = false
        try store.forEachStep(of: trace, from: from, recordedLeaves: recordedLeaves) { value, leaf in
            current.add(value, recorded: leaf)
            guard current.count == maxRows else { return true }
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
}
