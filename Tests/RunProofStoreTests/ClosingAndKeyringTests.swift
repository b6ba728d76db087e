import Foundation
import Testing
import RunProofCore
import RunProofStore
import RunProofSamples

/// Closing seals (docs/chain-v1.md 5.1), keyrings with rotation and revocation (6.4) and the authenticity
/// a verdict rests on (6.5), on every store and on export files.
@Suite struct ClosingAndKeyringTests {
    func verify(_ store: any TraceStore, _ trust: TrustPolicy = TrustPolicy()) throws -> Verdict {
        try StoreVerifier.verify(store, tenant: "tenant-a", run: "run-c", trust: trust).verdict
    }

    func finish(_ store: any TraceStore) throws {
        let table = (store as? SQLiteStore)?.isLegacy == true ? "traces" : "aos_traces"
        try store.execute("UPDATE \(table) SET status = 'completed', completed_at = '2026-01-01T01:00:00Z' WHERE run_id = 'run-c'", [])
    }

    @Test(arguments: Backend.allCases)
    func aFinishedRunIsClosedAndNothingMayFollow(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-c", steps: 0)
        // Sealed after every step while running; then the run finishes with no new step.
        for index in 0 ..< 5 {
            try SampleData.insertSteps(store, trace: "run-c", index ..< index + 1)
            let outcome = try Sealer.seal(store, tenant: "tenant-a", run: "run-c", key: nil)[0]
            #expect(!outcome.closed && outcome.closing == nil)
        }
        #expect(try verify(store, TrustPolicy(requireClosed: true)).kind == .hashChain, "an unfinished run need not be closed")
        try finish(store)
        #expect(try verify(store, TrustPolicy(requireClosed: true)).failureKind == .notClosed)
        let closing = try Sealer.seal(store, tenant: "tenant-a", run: "run-c", key: nil)[0]
        #expect(closing.closed && closing.closing?.closed == true && closing.closing?.chainLength == 5 && closing.seal == nil)
        let closed = try verify(store, TrustPolicy(requireClosed: true))
        #expect(closed.kind == .hashChain && closed.closed, "\(closed.reason ?? "")")

        // A step appended after the close: sealing refuses it, verification names it.
        try SampleData.insertSteps(store, trace: "run-c", 5 ..< 6)
        #expect { try Sealer.seal(store, tenant: "tenant-a", run: "run-c", key: nil) } throws: {
            ($0 as? RunProofError)?.code == .integrity
        }
        let appended = try verify(store)
        #expect(appended.kind == .failed && appended.failureKind == .appendedAfterClose && appended.failingStepIndex == 5)

        // The tail of the closed run removed.
        let (table, column) = stepsTable(store)
        try store.execute("DELETE FROM \(table) WHERE \(column) = 'run-c' AND step_index >= 4", [])
        let truncated = try verify(store)
        #expect(truncated.kind == .failed && truncated.failureKind == .truncated && truncated.failingStepIndex == 4)
    }

    @Test func aSealAfterTheClosingSealFailsInAFile() throws {
        let store = try Backend.sqlite.makeStore()
        _ = try addTrace(store, run: "run-c", steps: 3)
        try finish(store)
        _ = try Sealer.seal(store, tenant: "tenant-a", run: "run-c", key: nil)
        let path = Backend.temporaryPath() + ".ndjson"
        try Exporter.export(store, trace: try store.traces(tenant: "tenant-a", run: "run-c")[0], to: path)
        #expect(try ExportFile.verify(path: path, trust: TrustPolicy(requireClosed: true)).verdict.kind == .hashChain)
        // Another step and a seal over it, appended by hand after the closing seal.
        try SampleData.insertSteps(store, trace: "run-c", 3 ..< 4)
        let reopened = try Backend.sqlite.makeStore()
        _ = try addTrace(reopened, run: "run-c", steps: 4)
        _ = try Sealer.seal(reopened, tenant: "tenant-a", run: "run-c", key: nil)
        let longer = Backend.temporaryPath() + ".ndjson"
        try Exporter.export(reopened, trace: try reopened.traces(tenant: "tenant-a", run: "run-c")[0], to: longer)
        let lines = try String(contentsOfFile: path).split(separator: "\n")
        let longerLines = try String(contentsOfFile: longer).split(separator: "\n")
        // steps 0..3 of the longer export, then the 3-step file's seals (regular, closing), then the 4-step seal.
        let combined = longerLines.filter { !$0.hasPrefix("{\"seal\"") } + lines.filter { $0.hasPrefix("{\"seal\"") }
            + longerLines.filter { $0.hasPrefix("{\"seal\"") }
        let tampered = Backend.temporaryPath() + ".ndjson"
        try (combined.joined(separator: "\n") + "\n").write(toFile: tampered, atomically: true, encoding: .utf8)
        let v = try ExportFile.verify(path: tampered).verdict
        #expect(v.kind == .failed && v.failureKind == .appendedAfterClose && v.failingStepIndex == 3, "\(v.reason ?? "")")
    }

    /// A trace sealed at 2 by key A, at 4 by key B (after a rotation) and at 6 by `last`.
    func rotatedTrace(_ backend: Backend, a: SigningKey, b: SigningKey, last: SigningKey?) throws -> any TraceStore {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-c", steps: 0)
        for (upTo, key, at) in [(2, a, "2026-03-01T00:00:00Z"), (4, b, "2026-06-01T00:00:00Z"), (6, last, "2026-09-01T00:00:00Z")] {
            try SampleData.insertSteps(store, trace: "run-c", upTo - 2 ..< upTo)
            let trace = try store.traces(tenant: "tenant-a", run: "run-c")[0]
            _ = try Sealer.seal(store, trace: trace, key: key, sealedAt: try Timestamp.normalize(at))
        }
        return store
    }

    func keyring(_ entries: [(SigningKey, String, String?, String?)]) -> Keyring {
        Keyring(entries: entries.map { key, from, until, revoked in
            Keyring.Entry(key: key.publicKey, notBefore: try! Timestamp.normalize(from),
                          notAfter: try! until.map { try Timestamp.normalize($0) }, revokedAt: try! revoked.map { try Timestamp.normalize($0) })
        })
    }

    @Test(arguments: Backend.allCases)
    func keyringsVerifyEverySealAcrossARotation(backend: Backend) throws {
        let a = try SigningKey(), b = try SigningKey(), c = try SigningKey()
        let store = try rotatedTrace(backend, a: a, b: b, last: b)
        let rotation = keyring([(a, "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", nil), (b, "2026-04-01T00:00:00Z", nil, nil)])
        let ok = try verify(store, TrustPolicy(keyring: rotation))
        #expect(ok.kind == .hashChain && ok.authenticity == .keyring && ok.signature == .valid, "\(ok.reason ?? "")")
        // A keyring round-trips through its JSON form.
        let reread = try Keyring(json: JSONValue(parsing: rotation.json.canonicalString))
        #expect(try verify(store, TrustPolicy(keyring: reread)).kind == .hashChain)

        let expired = try verify(store, TrustPolicy(keyring: keyring([(a, "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", nil), (b, "2026-04-01T00:00:00Z", nil, nil)])))
        #expect(expired.kind == .failed && expired.failureKind == .signature)
        #expect(expired.reason?.contains("seal at chain_length 2") == true && expired.reason?.contains("expired") == true, "\(expired.reason ?? "")")

        let revoked = try verify(store, TrustPolicy(keyring: keyring([(a, "2026-01-01T00:00:00Z", nil, "2026-02-15T00:00:00Z"), (b, "2026-04-01T00:00:00Z", nil, nil)])))
        #expect(revoked.kind == .failed && revoked.reason?.contains("revoked") == true, "\(revoked.reason ?? "")")
        let revokedLater = try verify(store, TrustPolicy(keyring: keyring([(a, "2026-01-01T00:00:00Z", nil, "2026-12-01T00:00:00Z"), (b, "2026-04-01T00:00:00Z", nil, nil)])))
        #expect(revokedLater.kind == .hashChain, "seals made before the revocation still verify")

        let unknown = try verify(store, TrustPolicy(keyring: keyring([(b, "2026-01-01T00:00:00Z", nil, nil), (c, "2026-01-01T00:00:00Z", nil, nil)])))
        #expect(unknown.kind == .failed && unknown.reason?.contains("seal at chain_length 2") == true && unknown.reason?.contains("not in the keyring") == true)

        // Without a keyring: the latest seal against one public key, or nothing checked.
        #expect(try verify(store, TrustPolicy(publicKey: b.publicKey)).authenticity == .pubkey)
        let unchecked = try verify(store)
        #expect(unchecked.kind == .hashChain && unchecked.authenticity == .unchecked)
    }

    @Test func anUnsignedSealFailsUnderAKeyringAndReadsAsUnsigned() throws {
        let a = try SigningKey(), b = try SigningKey()
        let store = try rotatedTrace(.sqlite, a: a, b: b, last: nil)
        #expect(try verify(store).authenticity == .unsigned)
        let v = try verify(store, TrustPolicy(keyring: keyring([(a, "2026-01-01T00:00:00Z", nil, nil), (b, "2026-01-01T00:00:00Z", nil, nil)])))
        #expect(v.kind == .failed && v.failureKind == .signature && v.reason?.contains("unsigned") == true)
    }

    @Test func aKeyringWhoseKeyIdIsNotItsKeyIsRefused() throws {
        let a = try SigningKey(), b = try SigningKey()
        var entry = keyring([(a, "2026-01-01T00:00:00Z", nil, nil)]).json
        if case .object(var root) = entry, case .array(var keys)? = root["keys"], case .object(var first) = keys[0] {
            first["key_id"] = .string(b.publicKey.keyId)
            keys[0] = .object(first)
            root["keys"] = .array(keys)
            entry = .object(root)
        }
        #expect(throws: RunProofError.self) { try Keyring(json: entry) }
    }
}
