/// The resumable state of a chain: head, length and the Merkle right frontier.
public struct ChainState: Sendable, Equatable {
    public var head: Digest
    public var length: Int
    /// Roots of the perfect subtrees that make up the first `length` leaves, largest first
    /// (one per set bit of `length`, at most log2(n)+1).
    public var frontier: [Digest]

    package init(head: Digest, length: Int, frontier: [Digest]) {
        self.head = head
        self.length = length
        self.frontier = frontier
    }

    static func genesis(_ genesis: Digest) -> ChainState { ChainState(head: genesis, length: 0, frontier: []) }
}

/// The RFC 6962 leaf hash `H(0x00 || data)`: of a canonical step (docs/chain-v1.md 3), or of a tenant-log entry.
package enum Leaf {
    /// The one place a leaf is hashed; `hasher` is reused by callers that hash many.
    @inline(__always)
    package static func hash(_ data: UnsafeRawBufferPointer, with hasher: SHA256 = SHA256()) -> Digest {
        hasher.update(byte: 0x00)
        hasher.update(bufferPointer: data)
        return hasher.finalize()
    }

    /// The leaf of `data` but for its first byte, a byte the caller gives up: the tag is written there, so that the
    /// whole is hashed in one call.
    @inline(__always)
    package static func hash(afterSpareByte data: UnsafeMutableRawBufferPointer, with hasher: SHA256) -> Digest {
        data[0] = 0x00
        hasher.update(bufferPointer: UnsafeRawBufferPointer(data))
        return hasher.finalize()
    }

    package static func hash(_ data: [UInt8]) -> Digest { data.withUnsafeBytes { hash($0) } }
}

/// Builds the hash chain and the RFC 6962 Merkle tree over step leaves, incrementally.
public final class ChainBuilder {
    /// Touched once per step: no dynamic exclusivity check (the builder is used by one thread at a time).
    @exclusivity(unchecked) public private(set) var state: ChainState
    private let hasher = SHA256()

    public init(genesis: Digest) { state = .genesis(genesis) }

    /// Continues a chain from a stored state, without re-reading its steps.
    package init(resuming state: ChainState) throws(RunProofError) {
        guard state.length >= 0, state.frontier.count == state.length.nonzeroBitCount else {
            throw RunProofError(.malformed, "Merkle frontier of \(state.frontier.count) hashes does not fit chain length \(state.length)")
        }
        self.state = state
    }

    public var head: Digest { state.head }
    public var length: Int { state.length }

    /// `H(0x00 || canonicalStep)`.
    @inline(__always)
    func leaf(canonicalStep: UnsafeRawBufferPointer) -> Digest {
        Leaf.hash(canonicalStep, with: hasher)
    }

    /// Appends a canonical step object and returns its leaf hash.
    @discardableResult
    public func append(canonicalStep: UnsafeRawBufferPointer) -> Digest {
        let leaf = leaf(canonicalStep: canonicalStep)
        append(leaf: leaf)
        return leaf
    }

    @discardableResult
    public func append(canonicalStep: [UInt8]) -> Digest {
        canonicalStep.withUnsafeBytes { append(canonicalStep: $0) }
    }

    /// Appends a leaf hash: `head = H(0x02 || head || leaf)`, and adds it to the Merkle frontier.
    public func append(leaf: Digest) {
        state.head = hasher.hash(tag: 0x02, state.head, leaf)
        Merkle.push(leaf, onto: &state.frontier, size: state.length, hasher)
        state.length += 1
    }

    /// The RFC 6962 Merkle Tree Hash of all leaves so far.
    public var merkleRoot: Digest { Merkle.root(frontier: state.frontier, hasher) }
}

/// RFC 6962 / RFC 9162 Merkle tree hashing.
enum Merkle {
    /// `H(0x01 || left || right)`.
    @inline(__always)
    static func node(_ left: Digest, _ right: Digest, _ hasher: SHA256) -> Digest {
        hasher.hash(tag: 0x01, left, right)
    }

    /// Adds the next leaf to the right frontier of a tree of `size` leaves, merging equal-sized subtrees
    /// (one per trailing one-bit of `size`).
    @inline(__always)
    static func push(_ leaf: Digest, onto frontier: inout [Digest], size: Int, _ hasher: SHA256) {
        var merged = leaf
        var size = size
        while size & 1 == 1 {
            merged = node(frontier.removeLast(), merged, hasher)
            size >>= 1
        }
        frontier.append(merged)
    }

    /// The tree hash from a right frontier; the empty tree hashes to `H("")`.
    static func root(frontier: [Digest], _ hasher: SHA256) -> Digest {
        guard var root = frontier.last else { return hasher.finalize() }
        for subtree in frontier.dropLast().reversed() { root = node(subtree, root, hasher) }
        return root
    }

    /// The Merkle Tree Hash of a list of leaf hashes, by the RFC's recursive definition.
    static func root(leaves: [Digest]) -> Digest {
        let hasher = SHA256()
        func mth(_ slice: ArraySlice<Digest>) -> Digest {
            if slice.count == 1 { return slice.first! }
            var k = 1
            while k * 2 < slice.count { k *= 2 }
            let split = slice.startIndex + k
            return node(mth(slice[..<split]), mth(slice[split...]), hasher)
        }
        return leaves.isEmpty ? hasher.finalize() : mth(leaves[...])
    }
}

/// An RFC 6962 Merkle tree kept as its right frontier, for trees without a chain head (the leaf record a
/// verifier checks, the tenant log): `ChainBuilder` without the head's extra digest per leaf.
package final class MerkleTree {
    package private(set) var size: Int
    /// Roots of the perfect subtrees over the leaves so far, largest first (one per set bit of `size`).
    package private(set) var frontier: [Digest]
    private let hasher = SHA256()

    package init() {
        size = 0
        frontier = []
    }

    /// Continues a tree from its stored frontier.
    package init(size: Int, frontier: [Digest]) throws(RunProofError) {
        guard size >= 0, frontier.count == size.nonzeroBitCount else {
            throw RunProofError(.malformed, "Merkle frontier of \(frontier.count) hashes does not fit size \(size)")
        }
        self.size = size
        self.frontier = frontier
    }

    package func append(_ leaf: Digest) {
        Merkle.push(leaf, onto: &frontier, size: size, hasher)
        size += 1
    }

    package var root: Digest { Merkle.root(frontier: frontier, hasher) }
}
