import Testing
@testable import RunProofCore

@Suite struct MerkleProofTests {
    func leaves(_ n: Int) -> [Digest] { (0 ..< n).map { SHA256.hash(Array("leaf-\($0)".utf8)) } }

    func roots(_ ranges: [Range<Int>], _ leaves: [Digest]) -> [Digest] {
        let collector = SubtreeCollector(ranges: ranges)
        for leaf in leaves { collector.add(leaf) }
        return collector.roots()!
    }

    @Test func inclusionProofsVerifyForEveryLeafOfEverySize() {
        for n in 1 ... 33 {
            let all = leaves(n)
            let root = Merkle.root(leaves: all)
            for m in 0 ..< n {
                let path = roots(MerkleProof.inclusionRanges(index: m, size: n), all)
                #expect(MerkleProof.verifyInclusion(leaf: all[m], index: m, size: n, path: path, root: root), "n \(n) m \(m)")
                #expect(!MerkleProof.verifyInclusion(leaf: SHA256.hash([1]), index: m, size: n, path: path, root: root))
                if n > 1 { #expect(!MerkleProof.verifyInclusion(leaf: all[m], index: (m + 1) % n, size: n, path: path, root: root)) }
            }
        }
    }

    @Test func consistencyProofsVerifyForEveryPairOfSizes() {
        let all = leaves(33)
        for second in 1 ... 33 {
            let secondRoot = Merkle.root(leaves: Array(all[..<second]))
            for first in 1 ... second {
                let firstRoot = Merkle.root(leaves: Array(all[..<first]))
                let path = first == second ? [] : roots(MerkleProof.consistencyRanges(first: first, second: second), Array(all[..<second]))
                #expect(MerkleProof.verifyConsistency(first: first, second: second, firstRoot: firstRoot, secondRoot: secondRoot, path: path),
                        "\(first) -> \(second)")
                if first < second {
                    #expect(!MerkleProof.verifyConsistency(first: first, second: second, firstRoot: SHA256.hash([9]), secondRoot: secondRoot, path: path))
                    #expect(!MerkleProof.verifyConsistency(first: first, second: second, firstRoot: firstRoot, secondRoot: SHA256.hash([9]), path: path))
                }
            }
        }
    }

    @Test func aMillionLeafProofHasAtMost21Hashes() {
        #expect(MerkleProof.inclusionRanges(index: 123_456, size: 1_000_000).count <= 21)
        #expect(MerkleProof.inclusionRanges(index: 999_999, size: 1_000_000).count <= 21)
    }
}
