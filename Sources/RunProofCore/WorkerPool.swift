import Dispatch

/// Runs work items on the global queue, at most `width` at a time (width 0: on the calling thread): `--jobs N` (or
/// RUNPROOF_THREADS) means N threads making batches ready, however many batches are in flight.
package final class WorkerPool: @unchecked Sendable {
    private let queue = DispatchQueue.global(qos: .userInitiated)
    private let slots: DispatchSemaphore
    package let width: Int

    package init(width: Int) {
        self.width = width
        slots = DispatchSemaphore(value: max(1, width))
    }

    /// How many batches to keep in flight: enough for every worker to have one while the calling thread takes the
    /// oldest; one when the calling thread does the work itself.
    package var depth: Int { width > 0 ? 2 * width + 2 : 1 }

    package func run(_ work: @escaping @Sendable () -> Void) {
        guard width > 0 else { return work() }
        queue.async { [slots] in
            slots.wait()
            work()
            slots.signal()
        }
    }
}
