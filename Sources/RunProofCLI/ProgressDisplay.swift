#if canImport(Glibc)
import Glibc
#endif
import RunProofCore

/// The progress of a long command on stderr, four times a second, when stderr is a terminal; nothing otherwise
/// (a pipe or a log file gets only the result). The line is cleared when the work is done.
final class ProgressDisplay {
    let progress: Progress
    private let label: String
    private var start = timespec(), last = 0.0
    private var shown = false
    /// The least time between two updates (and before the first): RUNPROOF_PROGRESS_INTERVAL seconds, 0.25 unless set.
    private let interval = getenv("RUNPROOF_PROGRESS_INTERVAL").flatMap { Double(String(cString: $0)) }.map { max(0, $0) } ?? 0.25

    private init(_ label: String) {
        self.label = label
        var display: ProgressDisplay?
        progress = Progress { steps in display?.show(steps) }
        display = self
        clock_gettime(CLOCK_MONOTONIC, &start)
    }

    /// A display for `label`, or nil when stderr is not a terminal (or RUNPROOF_PROGRESS=0).
    static func start(_ label: String) -> ProgressDisplay? {
        if getenv("RUNPROOF_PROGRESS").map({ String(cString: $0) }) == "0" { return nil }
        return isatty(2) == 1 ? ProgressDisplay(label) : nil
    }

    private func elapsed() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
    }

    private func show(_ steps: Int) {
        let seconds = elapsed()
        guard seconds - last >= interval else { return }
        last = seconds
        shown = true
        toTerminal("\r\u{1B}[K\(label): \(steps) steps, \(Int(Double(steps) / max(seconds, 1e-9))) steps/s")
    }

    private func toTerminal(_ text: String) {
        let bytes = Array(text.utf8)
        _ = write(2, bytes, bytes.count)
    }

    /// Clears the line.
    func finish() {
        if shown { toTerminal("\r\u{1B}[K") }
        shown = false
    }
}
