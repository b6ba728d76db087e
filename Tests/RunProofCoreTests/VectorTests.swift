import Foundation
import Testing
@testable import RunProofCore

/// Reads every vector in Vectors/ and checks RunProof against it.
enum Vectors {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Vectors").path

    static func load(_ name: String) throws -> JSONValue {
        try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))))
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }
}

@Suite struct VectorTests {
    @Test func jcsValidCases() throws {
        let cases = Vectors.array(try Vectors.load("jcs.json")["valid"])
        #expect(cases.count > 20)
        for c in cases {
            let input = c["input"]!.string!, expected = c["canonical"]!.string!
            #expect(String(decoding: try JCS.canonicalize(input), as: UTF8.self) == expected, "\(c["name"]!)")
            // The fast path: a canonical text is recognized as such; any other text is not taken as it is.
            var jcs = JCS()
            let canonical = Array(expected.utf8), given = Array(input.utf8)
            let expectedHasEscapedKey = expected.contains("\\") // conservative on escaped keys
            #expect(canonical.withUnsafeBytes { jcs.isCanonical($0) } || expectedHasEscapedKey, "\(c["name"]!): canonical form not recognized")
            #expect(given.withUnsafeBytes { jcs.isCanonical($0) } == false || given == canonical, "\(c["name"]!)")
        }
    }

    @Test func jcsInvalidCases() throws {
        let cases = Vectors.array(try Vectors.load("jcs.json")["invalid"])
        #expect(cases.count > 20)
        for c in cases {
            let bytes = Hex.decode(c["input_hex"]!.string!)!
            #expect(throws: JCSError.self, "\(c["name"]!)") { try JCS.canonicalize(bytes) }
            var jcs = JCS()
            #expect(!bytes.withUnsafeBytes { jcs.isCanonical($0) }, "\(c["name"]!): an invalid text taken as canonical")
        }
    }

    @Test func numberCases() throws {
        let cases = Vectors.array(try Vectors.load("numbers.json")["cases"])
        #expect(cases.count >= 60)
        for c in cases {
            #expect(String(decoding: try JCS.canonicalize(c["input"]!.string!), as: UTF8.self) == c["output"]!.string!, "\(c["input"]!)")
            // The fast path takes exactly the canonical forms as they are.
            var jcs = JCS()
            let input = Array(c["input"]!.string!.utf8), output = Array(c["output"]!.string!.utf8)
            #expect(output.withUnsafeBytes { jcs.isCanonical($0) }, "\(c["output"]!) not recognized as canonical")
            #expect(input.withUnsafeBytes { jcs.isCanonical($0) } == (input == output), "\(c["input"]!)")
        }
    }

    @Test func merkleRoots() throws {
        let vectors = try Vectors.load("merkle.json")
        let leaves = Vectors.array(vectors["leaves"]).map { Digest(hex: $0.string!)! }
        let roots = Vectors.array(vectors["roots"])
        #expect(roots.count == 18)
        for r in roots {
            let n = r["n"]!.int!
            let builder = ChainBuilder(genesis: Digest())
            for leaf in leaves.prefix(n) { builder.append(leaf: leaf) }
            #expect(builder.merkleRoot.hex == r["root"]!.string!, "n = \(n)")
            #expect(Merkle.root(leaves: Array(leaves.prefix(n))).hex == r["root"]!.string!)
        }
    }

    @Test func chains() throws {
        let traces = Vectors.array(try Vectors.load("chain.json")["traces"])
        #expect(traces.count >= 5)
        for t in traces {
            let name = t["name"]!.string!
            let header = try TraceHeader(json: t["header"]!)
            #expect(header.genesis.hex == t["genesis"]!.string!, "\(name)")
            let builder = ChainBuilder(genesis: header.genesis)
            let canonical = Vectors.array(t["canonical_steps"]).map { $0.string! }
            let leaves = Vectors.array(t["leaves"]), heads = Vectors.array(t["heads"]), roots = Vectors.array(t["merkle_roots"])
            for (i, step) in Vectors.array(t["steps"]).enumerated() {
                #expect(step.canonicalString == canonical[i], "\(name) step \(i)")
                #expect(try JCS.canonicalize(canonical[i]) == Array(canonical[i].utf8))
                #expect(builder.append(canonicalStep: Array(canonical[i].utf8)).hex == leaves[i].string!, "\(name) leaf \(i)")
                #expect(builder.head.hex == heads[i].string!)
                #expect(builder.merkleRoot.hex == roots[i].string!)
            }
            #expect(builder.length == t["chain_length"]!.int!)
            #expect(builder.head.hex == t["head"]!.string! && builder.merkleRoot.hex == t["merkle_root"]!.string!)
        }
    }

    @Test func seals() throws {
        let vectors = try Vectors.load("seals.json")
        let key = try SigningKey(pem: try Vectors.text("test-key.pem"))
        let pub = try PublicKey(pem: try Vectors.text("test-key.pub.pem"))
        #expect(pub.keyId == vectors["key_id"]!.string!)
        for c in Vectors.array(vectors["seals"]) {
            let name = c["name"]!.string!
            let record: JSONValue = .object(["seal": c["seal"]!, "signature": c["signature"]!])
            let seal = try? Seal(record: record)
            let valid = seal.map { $0.keyId == pub.keyId && $0.isSignatureValid(for: pub) } ?? false
            #expect(valid == (c["valid"] == .bool(true)), "\(name)")
            if valid, let seal {
                #expect(seal.json.canonicalString == c["canonical"]!.string!)
                // Ed25519 is deterministic: signing again gives the published signature.
                #expect(Base64.encode(try key.sign(Array(c["canonical"]!.string!.utf8))) == c["signature"]!.string!)
            }
        }
    }

    @Test func legacyRoots() throws {
        for c in Vectors.array(try Vectors.load("legacy.json")["cases"]) {
            let header = TraceHeader(tenantId: "t", runId: c["run_id"]!.string!, traceId: "t", correlationId: "c",
                                     agentId: nil, plan: nil, startedAt: "2026-01-01T00:00:00.000000Z")
            let verifier = ChainVerifier(header: header, seals: [])
            for step in Vectors.array(c["steps"]) {
                [UInt8]("{}".utf8).withUnsafeBytes {
                    _ = verifier.consume(index: step["step_index"]!.int!, canonicalStep: $0,
                                         skillName: step["skill_name"]!.string!, status: step["status"]!.string!)
                }
            }
            #expect(try verifier.finish().legacyRootHash?.hex == c["legacy_root_hash"]!.string!, "\(c["name"]!)")
        }
    }

    @Test func exportFiles() throws {
        let cases = Vectors.array(try Vectors.load("exports.json")["cases"])
        #expect(cases.count >= 25)
        for c in cases {
            let name = c["name"]!.string!
            let key = try c["pubkey"]!.string.map { try PublicKey(pem: try Vectors.text($0)) }
            let trust = TrustPolicy(publicKey: key, requireSignature: c["require_signature"] == .bool(true))
            let verdict = try ExportFile.verify(path: Vectors.directory + "/" + c["file"]!.string!, trust: trust).verdict
            #expect(verdict.kind.rawValue == c["verdict"]!.string!, "\(name): \(verdict.reason ?? "")")
            #expect(verdict.failingStepIndex == c["failing_step_index"]!.int, "\(name): \(verdict.reason ?? "")")
            if let length = c["chain_length"]?.int { #expect(verdict.chainLength == length, "\(name)") }
            if let unsealed = c["unsealed_steps"]?.int { #expect(verdict.unsealedSteps == unsealed, "\(name)") }
            if let head = c["head"]?.string { #expect(verdict.head?.hex == head, "\(name)") }
            if let root = c["merkle_root"]?.string { #expect(verdict.merkleRoot?.hex == root, "\(name)") }
            if let reason = c["reason_contains"]?.string {
                #expect(verdict.reason?.lowercased().contains(reason) == true, "\(name): \(verdict.reason ?? "")")
            }
        }
    }

    /// The independent implementations (Python, and node for numbers) agree with the vectors too; the Python
    /// verifier's own tests pass.
    @Test(arguments: [(["python3", "Verifiers/python/runproof_verify.py", "vectors", "Vectors"], " 0 mismatches"),
                      (["node", "Verifiers/node/check-jcs-numbers.js"], " 0 mismatches"),
                      (["python3", "-m", "unittest", "discover", "-s", "Verifiers/python/tests"], "\nOK")])
    func independentImplementationsAgree(command: [String], success: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = URL(fileURLWithPath: Vectors.directory).deletingLastPathComponent()
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains(success), "\(output)")
    }
}

@Suite struct ProofAndBundleVectorTests {
    func check(_ file: String, _ verify: (String, TrustPolicy) throws -> Verdict) throws {
        let cases = Vectors.array(try Vectors.load(file)["cases"])
        #expect(cases.count >= 15)
        for c in cases {
            let name = c["name"]!.string!
            let key = try c["pubkey"]?.string.map { try PublicKey(pem: try Vectors.text($0)) }
            let trust = TrustPolicy(publicKey: key, requireSignature: c["require_signature"] == .bool(true))
            let verdict = try verify(Vectors.directory + "/" + c["file"]!.string!, trust)
            #expect(verdict.kind.rawValue == c["verdict"]!.string!, "\(name): \(verdict.reason ?? "")")
            #expect(verdict.failingStepIndex == c["failing_step_index"]!.int, "\(name): \(verdict.reason ?? "")")
            if verdict.kind == .hashChain, let root = c["merkle_root"]?.string { #expect(verdict.merkleRoot?.hex == root, "\(name)") }
        }
    }

    @Test func proofFiles() throws {
        try check("proofs.json") { path, trust in
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard let proof = try? JSONValue(parsing: text) else { return Verdict(kind: .failed, reason: "malformed proof") }
            return ProofFile.verify(proof, trust: trust)
        }
    }

    @Test func bundleFiles() throws {
        try check("bundles.json") { path, trust in try AuditBundle.verify(path: path, trust: trust).verdict }
    }
}

/// The locating, closing and keyring vectors (docs/chain-v1.md 5.1, 6.3-6.5), and the verdict fields every
/// export, bundle and proof case states: failure_kind, closed, authenticity.
@Suite struct RevisedVerdictVectorTests {
    func verdict(_ c: JSONValue, file: String) throws -> Verdict? {
        let keyring: Keyring?
        do { keyring = try c["keyring"]?.string.map { try Keyring(json: JSONValue(parsing: try Vectors.text($0))) } } catch {
            #expect(c["exit_code"]?.int == 64, "\(c["name"]!): keyring refused: \(error)")
            return nil
        }
        let key = try c["pubkey"]?.string.map { try PublicKey(pem: try Vectors.text($0)) }
        let trust = TrustPolicy(publicKey: key, keyring: keyring, requireSignature: c["require_signature"] == .bool(true),
                                requireClosed: c["require_closed"] == .bool(true))
        let path = Vectors.directory + "/" + c["file"]!.string!
        switch c["type"]?.string ?? (file == "bundles.json" ? "bundle" : file == "proofs.json" ? "proof" : "export") {
        case "bundle": return try AuditBundle.verify(path: path, trust: trust).verdict
        case "proof": return ProofFile.verify(try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path)))), trust: trust)
        default: return try ExportFile.verify(path: path, trust: trust).verdict
        }
    }

    @Test(arguments: ["locate.json", "closed.json", "keyring.json", "exports.json", "bundles.json", "proofs.json", "checkpoints.json", "hostile.json"])
    func verdictFields(file: String) throws {
        for c in Vectors.array(try Vectors.load(file)["cases"]) {
            let name = "\(file) \(c["name"]!.string!)"
            guard let v = try verdict(c, file: file) else { continue }
            let got = "\(v.kind.rawValue) \(v.failureKind?.rawValue ?? "-") at \(v.failingStepIndex.map(String.init) ?? "-"): \(v.reason ?? "")"
            #expect(v.kind.rawValue == c["verdict"]?.string, "\(name): \(got)")
            #expect(v.failingStepIndex == c["failing_step_index"]?.int, "\(name): \(got)")
            #expect(v.failureKind?.rawValue == c["failure_kind"]?.string, "\(name): \(got)")
            if let closed = c["closed"], closed != .null { #expect(.bool(v.closed) == closed, "\(name): closed") }
            // A file refused as malformed before its seals are read states no authenticity worth comparing.
            let fileLevel = v.kind == .failed && v.failingStepIndex == nil && v.sealCount == 0
            if let authenticity = c["authenticity"]?.string, !fileLevel {
                #expect(v.authenticity.rawValue == authenticity, "\(name): authenticity")
            }
        }
    }
}

/// Signed-note checkpoints (docs/chain-v1.md 10): bodies, key hashes, verifier keys and signatures from the independent
/// implementation, and every note opened or refused as Go's note.Open does.
@Suite struct CheckpointVectorTests {
    @Test func checkpointsRenderAndSignAsTheVectorsSay() throws {
        let vectors = try Vectors.load("checkpoints.json")
        let checkpoints = Vectors.array(vectors["checkpoints"])
        #expect(checkpoints.count >= 5)
        for c in checkpoints {
            let name = c["name"]!.string!
            // RunProof refuses a seal over no step (chain_length 0); the independent vector also covers that tree size.
            if c["seal"]?["chain_length"]?.int == 0 {
                #expect(throws: RunProofError.self) { try Seal(record: ["seal": c["seal"]!]) }
                continue
            }
            // Only the seal object matters for the checkpoint; a signed seal record also needs its signature field.
            let seal = try Seal(record: c["seal"]!["key_id"]?.string == nil ? ["seal": c["seal"]!] : ["seal": c["seal"]!, "signature": "AA=="])
            #expect(String(decoding: Checkpoint.body(of: seal), as: UTF8.self) == c["body"]!.string!, "\(name)")
            let key = try NoteKey(name: c["key_name"]!.string!, key: PublicKey(pem: try Vectors.text(c["pubkey"]!.string!)))
            #expect(Hex.encode(key.keyHash) == c["key_hash"]!.string!, "\(name)")
            #expect(key.verifierKey == c["vkey"]!.string!, "\(name)")
            #expect(key.open(Array(c["note"]!.string!.utf8)) == Array(c["body"]!.string!.utf8), "\(name)")
            #expect(key.verifies(line: c["checkpoint_signature"]!.string!, body: Checkpoint.body(of: seal)), "\(name)")
        }
    }

    @Test func notesOpenOrNotAsGoDoes() throws {
        let notes = Vectors.array(try Vectors.load("checkpoints.json")["notes"])
        #expect(notes.count >= 20)
        for c in notes {
            let name = c["name"]!.string!
            let note = Array(try Data(contentsOf: URL(fileURLWithPath: Vectors.directory + "/" + c["file"]!.string!)))
            guard let key = NoteKey(verifierKey: c["vkey"]!.string!) else {
                #expect(c["opens"] == .null || c["exit_code"]?.int == 64, "\(name): vkey refused")
                continue
            }
            #expect((key.open(note) != nil) == (c["opens"] == .bool(true)), "\(name)")
        }
    }
}

/// tlog-proofs, witness cosignatures and receipts (docs/chain-v1.md 10.1-10.3) from the independent implementation.
@Suite struct TransparencyVectorTests {
    func data(_ file: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: Vectors.directory + "/" + file))) }

    @Test(arguments: ["tlog-proofs.json", "tenant-log.json"])
    func tlogProofs(file: String) throws {
        let cases = Vectors.array(try Vectors.load(file)["cases"])
        #expect(cases.count >= 10)
        for c in cases {
            let name = "\(file) \(c["name"]!.string!)"
            let vkey = c["vkey"]?.string.flatMap { NoteKey(verifierKey: $0) }
            let pubkey = try c["pubkey"]?.string.map { try PublicKey(pem: try Vectors.text($0)) }
            let bytes = try data(c["file"]!.string!)
            let v: Verdict
            if c["file"]!.string!.hasSuffix(".json") {
                // A tenant-log consistency proof: needs the log's verifier key.
                guard let vkey, let json = try? JSONValue(parsing: bytes) else { #expect(c["verdict"] == .null || c["verdict"]?.string == "FAILED", "\(name)"); continue }
                v = TenantLogProof.verifyConsistency(json, key: vkey)
            } else {
                v = TlogProof.verify(bytes, verifierKey: vkey, publicKey: pubkey)
            }
            let got = "\(v.kind.rawValue) \(v.failureKind?.rawValue ?? "-") at \(v.failingStepIndex.map(String.init) ?? "-"): \(v.reason ?? "")"
            #expect(v.kind.rawValue == c["verdict"]?.string, "\(name): \(got)")
            #expect(v.failingStepIndex == c["failing_step_index"]?.int, "\(name): \(got)")
            #expect(v.failureKind?.rawValue == c["failure_kind"]?.string, "\(name): \(got)")
            if let a = c["authenticity"]?.string { #expect(v.authenticity.rawValue == a, "\(name): authenticity") }
            if v.kind == .hashChain, let root = c["merkle_root"]?.string { #expect(v.merkleRoot?.hex == root, "\(name)") }
        }
    }

    @Test func cosignatures() throws {
        let cases = Vectors.array(try Vectors.load("cosignatures.json")["cases"])
        #expect(cases.count >= 10)
        for c in cases {
            let name = c["name"]!.string!
            guard let log = NoteKey(verifierKey: c["vkey"]!.string!) else { #expect(c["exit_code"]?.int == 64, "\(name)"); continue }
            let witnessKeys = Vectors.array(c["witnesses"]).compactMap { $0.string.flatMap { WitnessKey(verifierKey: $0) } }
            guard witnessKeys.count == Vectors.array(c["witnesses"]).count else { #expect(c["exit_code"]?.int == 64, "\(name)"); continue }
            let note = try data(c["file"]!.string!)
            var verified = false
            if let body = log.open(note), witnessKeys.isEmpty, c["quorum"] == nil || c["quorum"] == .null {
                verified = true // no witness policy: the log's signature alone
            } else if let body = log.open(note) {
                // Distinct witnesses, as the independent verifier counts them.
                var seen = Set<String>()
                let distinct = witnessKeys.filter { seen.insert($0.verifierKey).inserted }
                let quorum = c["quorum"]?.int ?? distinct.count
                if quorum > distinct.count || quorum < 1 { #expect(c["exit_code"]?.int == 64, "\(name)"); continue }
                verified = distinct.filter { $0.hasCosigned(note: note, body: body) }.count >= quorum
            }
            #expect(verified == (c["verified"] == .bool(true)), "\(name)")
        }
    }

    @Test func receipts() throws {
        let cases = Vectors.array(try Vectors.load("receipts.json")["cases"])
        #expect(cases.count >= 5)
        for c in cases {
            let name = c["name"]!.string!
            let key = try PublicKey(pem: try Vectors.text(c["pubkey"]!.string!))
            guard let envelope = try? JSONValue(parsing: try data(c["file"]!.string!)) else {
                #expect(c["verified"] == .bool(false), "\(name): not JSON"); continue
            }
            switch Receipt.open(envelope, key: key) {
            case .success(let statement):
                #expect(c["verified"] == .bool(true), "\(name): opened")
                #expect(statement["predicate"]?["verdict"]?.string == c["verdict"]?.string, "\(name)")
            case .failure(let error):
                #expect(c["verified"] == .bool(false), "\(name): \(error)")
            }
        }
    }
}
