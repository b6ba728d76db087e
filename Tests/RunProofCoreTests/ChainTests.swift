import Testing
@testable import RunProofCore

@Suite struct ChainTests {
    func leaves(_ n: Int) -> [Digest] {
        (0 ..< n).map { SHA256.hash(Array("leaf-\($0)".utf8)) }
    }

    @Test func incrementalMerkleRootMatchesTheRFCDefinition() {
        for n in 0 ... 70 {
            let builder = ChainBuilder(genesis: Digest())
            for leaf in leaves(n) { builder.append(leaf: leaf) }
            #expect(builder.merkleRoot == Merkle.root(leaves: leaves(n)), "n = \(n)")
            #expect(builder.state.frontier.count == n.nonzeroBitCount)
        }
    }

    /// Recorded leaves come from the database as hex bytes: every byte value in every position is either a
    /// lowercase digit that decodes as `Digest(hex:)` does, or makes the whole digest nil.
    @Test func hexBytesDecodeAsHexStringsDo() {
        let valid = SHA256.hash(Array("leaf".utf8))
        let hex = Array(valid.hex.utf8)
        #expect(hex.withUnsafeBytes { Digest(hexBytes: $0) } == valid)
        for position in [0, 1, 31, 62, 63] {
            for byte in UInt8.min ... UInt8.max {
                var bytes = hex
                bytes[position] = byte
                let text = String(decoding: bytes, as: UTF8.self)
                let expected = text.utf8.count == 64 ? Digest(hex: text) : nil
                #expect(bytes.withUnsafeBytes { Digest(hexBytes: $0) } == expected, "byte \(byte) at \(position)")
            }
        }
        #expect(hex.dropLast().withUnsafeBytes { Digest(hexBytes: $0) } == nil)
        #expect(Array(valid.hex.uppercased().utf8).withUnsafeBytes { Digest(hexBytes: $0) } == nil)
    }

    @Test func emptyTreeIsTheHashOfNothing() {
        #expect(ChainBuilder(genesis: Digest()).merkleRoot.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func resumingFromAStateEqualsBuildingInOnePass() throws {
        let all = leaves(37)
        let whole = ChainBuilder(genesis: SHA256.hash([3]))
        for leaf in all { whole.append(leaf: leaf) }
        for cut in [0, 1, 16, 17, 31, 36] {
            let first = ChainBuilder(genesis: SHA256.hash([3]))
            for leaf in all[..<cut] { first.append(leaf: leaf) }
            let resumed = try ChainBuilder(resuming: first.state)
            for leaf in all[cut...] { resumed.append(leaf: leaf) }
            #expect(resumed.state == whole.state)
            #expect(resumed.merkleRoot == whole.merkleRoot)
        }
    }

    @Test func rejectsAFrontierThatDoesNotFitTheLength() {
        #expect(throws: RunProofError.self) { try ChainBuilder(resuming: ChainState(head: Digest(), length: 3, frontier: [Digest()])) }
    }

    /// The header's bytes are written member by member for the genesis: the same bytes as the header object's.
    @Test(arguments: [nil, "agent-7", "", "\"quoted\" \\ \u{7}", "ténant 🚀 \u{2028}"] as [String?])
    func writesTheHeaderAsItsObject(_ text: String?) {
        var header = Fixture.header()
        header.agentId = text
        header.tenantId = text ?? "t"
        header.plan = ["b": [.number(1.5), nil, true], "a": .string(text ?? ""), "é": [:], "z": .number(1e21)]
        #expect(header.canonicalBytes == header.json.canonicalBytes)
        #expect(header.genesis == SHA256.hash([0x03] + header.json.canonicalBytes))
    }

    @Test func chainFollowsTheSpecFormulas() {
        let header = Fixture.header()
        let step = Fixture.step(0).canonicalBytes
        let genesis = SHA256.hash([0x03] + header.json.canonicalBytes)
        let leaf = SHA256.hash([0x00] + step)
        let head = SHA256.hash([0x02] + genesis.bytes + leaf.bytes)
        let builder = ChainBuilder(genesis: header.genesis)
        #expect(builder.append(canonicalStep: step) == leaf)
        #expect(header.genesis == genesis)
        #expect(builder.head == head)
        #expect(builder.merkleRoot == leaf)
    }

    @Test func sha256MatchesAKnownAnswer() {
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct SealTests {
    @Test func signsAndVerifies() throws {
        var seal = Seal(header: Fixture.header(), length: 3, head: Digest(), merkleRoot: Digest(), sealedAt: "2026-01-01T00:00:00.000000Z")
        try seal.sign(with: Fixture.key)
        #expect(seal.keyId == Fixture.key.publicKey.keyId)
        #expect(seal.isSignatureValid(for: Fixture.key.publicKey))
        #expect(!seal.isSignatureValid(for: try SigningKey().publicKey))
        var changed = seal
        changed.chainLength = 4
        #expect(!changed.isSignatureValid(for: Fixture.key.publicKey))
        #expect(try Seal(record: try JSONValue(parsing: seal.record.canonicalBytes)) == seal)
    }

    @Test func keysRoundTripThroughPEM() throws {
        let key = Fixture.key
        let reloaded = try SigningKey(pem: key.pem)
        #expect(reloaded.publicKey.raw == key.publicKey.raw)
        #expect(try PublicKey(pem: key.publicKey.pem).keyId == key.publicKey.keyId)
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
    }

    @Test func rejectsWhatIsNotAnEd25519Key() {
        #expect(throws: RunProofError.self) { try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        #expect(throws: RunProofError.self) { try SigningKey(pem: "not a key") }
    }

    @Test func rejectsMalformedSealRecords() throws {
        let good = Seal(header: Fixture.header(), length: 1, head: Digest(), merkleRoot: Digest(), sealedAt: "x").record
        guard case .object(var outer) = good, case .object(var inner)? = outer["seal"] else { Issue.record(); return }
        inner["chain_length"] = 0
        outer["seal"] = .object(inner)
        #expect(throws: RunProofError.self) { try Seal(record: .object(outer)) }
        inner["chain_length"] = 1
        inner["extra"] = 1
        outer["seal"] = .object(inner)
        #expect(throws: RunProofError.self) { try Seal(record: .object(outer)) }
    }

    @Test func base64IsStrict() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm8=") == Array("fo".utf8))
        #expect(Base64.decode("Zm9=") == nil)
        #expect(Base64.decode("Zm8") == nil)
        #expect(Base64.decode("Z=8=") == nil)
        #expect(Base64.decode("Zg==") == Array("f".utf8))
        #expect(Base64.decode("Zh==") == nil, "non-zero padding bits")
        #expect(Base64.decode("Zg=A") == nil && Base64.decode("====") == nil && Base64.decode("Zg*=") == nil)
        #expect(Base64.decode("") == [])
        // Every length round-trips, and every single-character change is refused or decodes to other bytes.
        var generator = SystemRandomNumberGenerator()
        for length in 0 ..< 70 {
            let bytes = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            let text = Base64.encode(bytes)
            #expect(Base64.decode(text) == bytes, "length \(length)")
            if !text.isEmpty {
                var changed = Array(text.utf8)
                changed[changed.count / 2] = UInt8(ascii: "!")
                #expect(Base64.decode(String(decoding: changed, as: UTF8.self)) == nil)
            }
        }
    }
}
