/// RFC 9162 inclusion and consistency proofs over the Merkle tree of a chain's leaves.
public enum MerkleProof {
    /// Largest power of two strictly less than n (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// The subtrees whose roots form the audit path of leaf `index` in a tree of `size` leaves, in path order.
    public static func inclusionRanges(index: Int, size: Int) -> [Range<Int>] {
        func path(_ lo: Int, _ hi: Int) -> [Range<Int>] {
            if hi - lo <= 1 { return [] }
            let k = split(hi - lo)
            return index - lo < k ? path(lo, lo + k) + [lo + k ..< hi] : path(lo + k, hi) + [lo ..< lo + k]
        }
        return path(0, size)
    }

    /// The subtrees whose roots form the consistency proof from size `first` to `second` (RFC 9162 §2.1.4.1).
    package static func consistencyRanges(first: Int, second: Int) -> [Range<Int>] {
        func subproof(_ m: Int, _ lo: Int, _ hi: Int, _ complete: Bool) -> [Range<Int>] {
            let n = hi - lo
            if m == n { return complete ? [] : [lo ..< hi] }
            let k = split(n)
            return m <= k ? subproof(m, lo, lo + k, complete) + [lo + k ..< hi]
                          : subproof(m - k, lo + k, hi, false) + [lo ..< lo + k]
        }
        guard first > 0, first < second else { return [] }
        return subproof(first, 0, second, true)
    }

    /// Verifies an audit path (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leaf: Digest, index: Int, size: Int, path: [Digest], root: Digest) -> Bool {
        guard index >= 0, index < size else { return false }
        let hasher = SHA256()
        var fn = index, sn = size - 1, r = leaf
        for p in path {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = Merkle.node(p, r, hasher)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                r = Merkle.node(r, p, hasher)
            }
            fn >>= 1; sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Verifies a consistency proof (RFC 9162 §2.1.4.2).
    package static func verifyConsistency(first: Int, second: Int, firstRoot: Digest, secondRoot: Digest, path: [Digest]) -> Bool {
        guard first > 0, first <= second else { return false }
        if first == second { return path.isEmpty && firstRoot == secondRoot }
        var path = path
        if first & (first - 1) == 0 { path.insert(firstRoot, at: 0) }
        guard let start = path.first else { return false }
        let hasher = SHA256()
        var fn = first - 1, sn = second - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = start, sr = start
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = Merkle.node(c, fr, hasher)
                sr = Merkle.node(c, sr, hasher)
                while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
            } else {
                sr = Merkle.node(sr, c, hasher)
            }
            fn >>= 1; sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}

/// Computes the roots of chosen subtrees (leaf ranges) while the leaves stream past, in O(ranges × log n) memory.
public final class SubtreeCollector {
    private let ranges: [Range<Int>]
    private var frontiers: [[Digest]]
    private let order: [Int]          // range indices sorted by lower bound
    private var active: [Int] = []
    private var nextStart = 0
    private var index = 0
    private let hasher = SHA256()

    public init(ranges: [Range<Int>]) {
        self.ranges = ranges
        frontiers = Array(repeating: [], count: ranges.count)
        order = ranges.indices.sorted { ranges[$0].lowerBound < ranges[$1].lowerBound }
    }

    /// Adds the next leaf (leaves must come in index order from 0).
    public func add(_ leaf: Digest) {
        while nextStart < order.count, ranges[order[nextStart]].lowerBound == index { active.append(order[nextStart]); nextStart += 1 }
        for r in active {
            var node = leaf
            var size = index - ranges[r].lowerBound
            while size & 1 == 1 { node = Merkle.node(frontiers[r].removeLast(), node, hasher); size >>= 1 }
            frontiers[r].append(node)
        }
        index += 1
        active.removeAll { ranges[$0].upperBound == index }
    }

    /// The roots, in the order the ranges were given; nil if the stream ended before a range was complete.
    public func roots() -> [Digest]? {
        guard ranges.allSatisfy({ $0.upperBound <= index && !$0.isEmpty }) else { return nil }
        return frontiers.map { Merkle.root(frontier: $0, hasher) }
    }
}
