/// The seals of one trace as a verifier reads them: ascending chain length, a closing seal last.
///
/// The count and the last seal are known up front (the latest seal names the sealed length and carries the
/// trace's signature); the others arrive one at a time, so a trace sealed after every step verifies in
/// constant memory (docs/chain-v1.md 6.2, 7).
public struct SealStream {
    /// How many seals the trace has.
    public var count: Int
    /// The last seal: the latest, a closing seal when the trace was closed.
    public var last: Seal?
    /// The next seal in order, nil after the last; throws `.malformed` for a seal that cannot be read.
    public var next: () throws -> Seal?

    package init(count: Int, last: Seal?, next: @escaping () throws -> Seal?) {
        self.count = count
        self.last = last
        self.next = next
    }

    /// The seals of an array, in the order given.
    package init(_ seals: [Seal]) {
        var iterator = seals.makeIterator()
        self.init(count: seals.count, last: seals.last) { iterator.next() }
    }
}
