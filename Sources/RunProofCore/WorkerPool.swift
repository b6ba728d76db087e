import Dispatch

/// Runs work items on the global queue, at most `width` at a time: `--jobs N` (or RUNPROOF_THREADS) means N threads
/// making batches ready, however many batches are in flight.
package final class WorkerPool: @unchecked Sendable {
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private let slots: DispatchSemaphore

    package init(width: Int) {
        slots = DispatchSemaphore(value: max(1, width))
    }

    package func run(_ work: @escaping @Sendable () -> Void) {
        queue.async { [slots] in
            slots.wait()
            work()
            slots.signal()
        }
    }
}
