/// Counts the steps a long command has done, for a progress display; `report` is called every 8,192 steps.
public final class Progress {
    private(set) var steps = 0
    private var next = 8192
    private let report: (Int) -> Void

    public init(_ report: @escaping (Int) -> Void) { self.report = report }

    @inline(__always) package func advance() {
        steps += 1
        if steps >= next {
            next += 8192
            report(steps)
        }
    }
}
