import Dispatch
import Synchronization

/// Runs work items on the global queue, at most `width` at a time (width 0: on the calling thread). `--jobs N` (or
/// RUNPROOF_THREADS) is the number of threads making batches ready: for a file the calling thread is one of them
/// (a pool of N - 1); for a store, where the calling thread reads the rows, a pool of N, which the calling thread
/// joins only while it would otherwise wait (`wait(for:helping:)`).
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

/// A batch of work handed to a `WorkerPool`: made ready by `process()` on whichever thread takes its turn.
package protocol PoolBatch: AnyObject, Sendable {
    var turn: Turn { get }
    func process()
}

extension WorkerPool {
    /// Opens the turn of a batch just filled and hands it to a pool thread.
    package func hand(_ batch: some PoolBatch) {
        batch.turn.open()
        run { batch.turn.take(batch.process) }
    }

    /// Waits until `batch` is ready. Rather than sleep, the calling thread makes it ready itself when no pool thread
    /// has taken it, and otherwise, while it is being made ready, the batches of `queue` (handed out after it) that
    /// no thread has taken, in order: every core stays busy while the calling thread has nothing else to do.
    package func wait<B: PoolBatch>(for batch: B, helping queue: some Sequence<B>) {
        if !batch.turn.take(batch.process) {
            for next in queue where !batch.turn.isDone { next.turn.take(next.process) }
        }
        batch.turn.wait()
    }

    /// Ends the turns of batches handed out and no longer wanted: the work no thread has taken is not done, and the
    /// work under way is waited for, so that no pool thread holds a batch afterwards.
    package func abandon(_ batches: some Sequence<some PoolBatch>) {
        for batch in batches {
            batch.turn.cancel()
            batch.turn.wait()
        }
    }
}

/// One batch's turn to be made ready, taken by whichever thread comes first: a pool thread, or the calling thread
/// that would otherwise wait for it. The thread that fills the batch opens a turn before handing it out and waits for
/// it to be done before touching the batch again. Work handed out for an earlier turn that another thread took finds
/// no open turn, or (once the batch is filled and opened again) does the new turn's work.
package final class Turn: Sendable {
    private static let open = 0, taken = 1, done = 2
    private let state = Atomic<Int>(Turn.done)
    private let finished = DispatchSemaphore(value: 0)

    package init() {}

    /// Opens a turn for a batch just filled.
    package func open() { state.store(Turn.open, ordering: .releasing) }

    /// Runs `work` unless another thread took this turn first; true when it ran here.
    @discardableResult
    package func take(_ work: () -> Void) -> Bool {
        guard state.compareExchange(expected: Turn.open, desired: Turn.taken, ordering: .acquiring).exchanged else { return false }
        work()
        state.store(Turn.done, ordering: .releasing)
        finished.signal()
        return true
    }

    /// Ends the turn without the work, which is no longer wanted, unless a thread has taken it.
    package func cancel() {
        guard state.compareExchange(expected: Turn.open, desired: Turn.done, ordering: .acquiring).exchanged else { return }
        finished.signal()
    }

    /// Whether the work is done (`wait()` then returns at once).
    package var isDone: Bool { state.load(ordering: .acquiring) == Turn.done }

    /// Waits until the work is done (or cancelled).
    package func wait() { finished.wait() }
}
