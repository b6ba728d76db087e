import Foundation
import Testing
@testable import RunProofCore

/// Every verdict path of offline verification, on real files.
@Suite struct VerifierTests {
    let key = Fixture.key
    var trust: TrustPolicy { TrustPolicy(publicKey: key.publicKey) }

    /// Six steps sealed at 2, 4 and 6.
    func base() throws -> [String] { try Fixture.lines(steps: 6, sealsAt: [2, 4, 6], key: key) }

    func verify(_ lines: [String], trust: TrustPolicy? = nil) throws -> Verdict {
        try ExportFile.verify(path: Fixture.write(lines), trust: trust ?? self.trust).verdict
    }

    @Test func verifiesAnUntouchedTrace() throws {
        let verdict = try verify(try base())
        #expect(verdict.kind == .hashChain)
        #expect(verdict.chainLength == 6)
        #expect(verdict.sealedLength == 6)
        #expect(verdict.sealCount == 3)
        #expect(verdict.signature == .valid)
        #expect(verdict.failingStepIndex == nil)
    }

    @Test func reportsUnsealedStepsWithoutFailing() throws {
        var lines = try Fixture.lines(steps: 8, sealsAt: [2, 4, 6], key: key)
        #expect(lines.count == 12)
        let verdict = try verify(lines)
        #expect(verdict.kind == .hashChain)
        #expect(verdict.unsealedSteps == 2)
        lines.removeLast(3)
        #expect(try verify(lines).kind == .unsupported) // never sealed
    }

    @Test(arguments: [0, 1, 3, 5])
    func locatesAChangedStepBetweenSeals(index: Int) throws {
        var lines = try base()
        lines[1 + index] = lines[1 + index].replacingOccurrences("query \(index)", "tampered")
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == index / 2 * 2)
    }

    @Test func namesTheExactStepWhenEveryStepIsSealed() throws {
        var lines = try Fixture.lines(steps: 5, sealsAt: [1, 2, 3, 4, 5], key: key)
        lines[4] = lines[4].replacingOccurrences("\"status\":\"completed\"", "\"status\":\"failed\"")
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 3)
        #expect(verdict.reason?.contains("step 3 was changed") == true)
    }

    @Test func removedStepIsAGap() throws {
        var lines = try base()
        lines.remove(at: 1 + 3)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 3)
        #expect(verdict.reason?.contains("step 3 is missing") == true)
    }

    @Test func truncationBelowTheSealedLengthFails() throws {
        var lines = try base()
        lines.remove(at: 6) // step 5, the last one
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 5)
        #expect(verdict.reason?.contains("truncated") == true)
    }

    @Test func insertedDuplicateIndexFails() throws {
        var lines = try base()
        lines.insert(lines[1 + 2], at: 1 + 3)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 2)
    }

    @Test func insertedRenumberedStepFails() throws {
        var lines = try base()
        // Replace step 3 with a different, validly indexed step: a forged insertion.
        lines[1 + 3] = Fixture.step(3, skill: "delete_everything").canonicalString
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 2)
    }

    @Test func swappedLinesFail() throws {
        var lines = try base()
        lines.swapAt(2, 3)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 1)
    }

    @Test func swappedContentKeepingIndicesFails() throws {
        var lines = try base()
        let a = lines[5], b = lines[6]
        lines[5] = b.replacingOccurrences("\"step_index\":5", "\"step_index\":4")
        lines[6] = a.replacingOccurrences("\"step_index\":4", "\"step_index\":5")
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 4)
    }

    @Test func negativeIndexFails() throws {
        var lines = try base()
        lines[1] = lines[1].replacingOccurrences("\"step_index\":0", "\"step_index\":-1")
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 0)
    }

    @Test(arguments: [
        ("\"q\":\"query 1\"", "\"q\":\"\\ud800\"", "lone surrogate"),
        ("\"q\":\"query 1\"", "\"q\":\"query 1\",\"q\":1", "duplicate key"),
        ("\"q\":\"query 1\"", "\"q\":NaN", "unexpected character"),
        ("\"level\":\"INFO\",", "", "key \"level\" is missing"),
        ("\"level\":\"INFO\",", "\"level\":\"INFO\",\"extra\":1,", "unexpected key"),
    ])
    func nonCanonicalizableStepFailsNamingStepAndField(original: String, replacement: String, reason: String) throws {
        var lines = try base()
        lines[2] = lines[2].replacingOccurrences(original, replacement)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 1)
        #expect(verdict.reason?.contains(reason) == true, "\(verdict.reason ?? "")")
    }

    @Test func malformedLineFails() throws {
        var lines = try base()
        lines[3] = "{\"step_index\":2, this is not json"
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 2)
    }

    @Test func badSignatureFails() throws {
        var lines = try base()
        let last = lines.count - 1
        let sig = lines[last].range(of: "\"signature\":\"")!.upperBound
        var chars = Array(lines[last])
        let at = lines[last].distance(from: lines[last].startIndex, to: sig) + 5
        chars[at] = chars[at] == "A" ? "B" : "A"
        lines[last] = String(chars)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.signature == .invalid)
        #expect(verdict.reason?.contains("bad signature") == true)
    }

    @Test func wrongKeyFails() throws {
        let verdict = try verify(try base(), trust: TrustPolicy(publicKey: try SigningKey().publicKey))
        #expect(verdict.kind == .failed)
        #expect(verdict.reason?.contains("not by the given key") == true)
    }

    @Test func signatureWithoutAKeyIsReportedNotChecked() throws {
        let verdict = try verify(try base(), trust: TrustPolicy())
        #expect(verdict.kind == .hashChain)
        #expect(verdict.signature == .notChecked)
    }

    @Test func unsignedSealsVerifyButFailWhenASignatureIsRequired() throws {
        let lines = try Fixture.lines(steps: 3, sealsAt: [3], key: nil)
        let open = try verify(lines, trust: TrustPolicy())
        #expect(open.kind == .hashChain)
        #expect(open.signature == .unsigned)
        let strict = try verify(lines, trust: TrustPolicy(publicKey: key.publicKey, requireSignature: true))
        #expect(strict.kind == .failed)
        #expect(strict.reason?.contains("unsigned") == true)
    }

    @Test func sealOfAnotherRunFails() throws {
        var lines = try base()
        let other = try Fixture.lines(steps: 6, sealsAt: [6], key: key, header: Fixture.header(run: "run-2"))
        lines[lines.count - 1] = other.last!
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.reason?.contains("another tenant, run or trace") == true)
    }

    @Test func changedHeaderFails() throws {
        var lines = try base()
        lines[0] = lines[0].replacingOccurrences("\"tenant_id\":\"tenant-a\"", "\"tenant_id\":\"tenant-b\"")
        #expect(try verify(lines).kind == .failed)
        lines = try base()
        lines[0] = lines[0].replacingOccurrences("\"agent_id\":\"agent-7\"", "\"agent_id\":\"agent-8\"")
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.reason?.contains("genesis") == true)
    }

    @Test func emptyTraceIsUnsupported() throws {
        let header = try verify([try base()[0]])
        #expect(header.kind == .unsupported)
        #expect(header.reason == "trace has no steps")
        let empty = try ExportFile.verify(path: Fixture.write([]), trust: trust).verdict
        #expect(empty.kind == .unsupported)
    }

    @Test func headerOnlyWithSealsIsTruncated() throws {
        var lines = try base()
        lines.removeSubrange(1 ... 6)
        let verdict = try verify(lines)
        #expect(verdict.kind == .failed)
        #expect(verdict.failingStepIndex == 0)
    }

    @Test func malformedHeaderOrSealLineFails() throws {
        var lines = try base()
        lines[0] = "{\"format\":\"runproof/v1\"}"
        #expect(try verify(lines).kind == .failed)
        lines = try base()
        lines[lines.count - 1] = "{\"seal\":{\"chain_length\":6}}"
        #expect(try verify(lines).kind == .failed)
        lines = try base()
        lines.insert(lines[lines.count - 1], at: 3) // a seal line among the steps
        #expect(try verify(lines).kind == .failed)
    }

    @Test func redactedStepStillVerifies() throws {
        var lines = try base()
        let leaf = SHA256.hash([0] + Array(lines[3].utf8))
        lines[3] = "{\"leaf\":\"\(leaf.hex)\",\"step_index\":2}"
        let verdict = try verify(lines)
        #expect(verdict.kind == .hashChain)
        #expect(verdict.legacyRootHash == nil)
        lines[3] = "{\"leaf\":\"\(SHA256.hash([1]).hex)\",\"step_index\":2}"
        #expect(try verify(lines).failingStepIndex == 2)
    }

    @Test func legacyRootFollowsTheOriginalCoordinator() throws {
        let verdict = try verify(try base())
        var text = "run-1"
        for i in 0 ..< 6 { text += "\(i):search:completed" }
        #expect(verdict.legacyRootHash == SHA256.hash(Array(text.utf8)))
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i ..< index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}

extension String {
    func range(of target: String) -> Range<Index>? { self[...].range(of: target) }
}

@Suite struct KeyRotationTests {
    @Test func onlyTheLatestSealMustBeSignedByTheTrustedKey() throws {
        let old = try SigningKey(), new = try SigningKey()
        var lines = try Fixture.lines(steps: 4, sealsAt: [2], key: old)
        let rotated = try Fixture.lines(steps: 4, sealsAt: [4], key: new)
        lines.append(rotated.last!)
        let path = Fixture.write(lines)
        #expect(try ExportFile.verify(path: path, trust: TrustPolicy(publicKey: new.publicKey, requireSignature: true)).verdict.kind == .hashChain)
        #expect(try ExportFile.verify(path: path, trust: TrustPolicy(publicKey: old.publicKey)).verdict.kind == .failed)
    }
}

/// Seal lines are read as a stream, in order (docs/chain-v1.md 7): a repeated or out-of-order line is FAILED
/// naming the seal, and a file of many seals is read without holding them.
@Suite struct SealLineTests {
    /// An export of 6 steps sealed at 2, 4 and 6, as lines.
    func sealedExport() throws -> (header: String, steps: [String], seals: [String]) {
        let lines = try Fixture.lines(steps: 6, sealsAt: [2, 4, 6], key: nil)
        return (lines[0], Array(lines[1 ... 6]), Array(lines[7...]))
    }

    func verify(_ lines: [String]) throws -> Verdict {
        try ExportFile.verify(path: Fixture.write(lines)).verdict
    }

    @Test func sealLinesInOrderVerify() throws {
        let (header, steps, seals) = try sealedExport()
        let v = try verify([header] + steps + seals)
        #expect(v.kind == .hashChain && v.sealCount == 3 && v.sealedLength == 6, "\(v.reason ?? "")")
    }

    @Test func aDuplicateSealLineFails() throws {
        let (header, steps, seals) = try sealedExport()
        let v = try verify([header] + steps + [seals[0], seals[1], seals[1], seals[2]])
        #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("two seals at chain_length 4") == true, "\(v.reason ?? "")")
    }

    @Test func anOutOfOrderSealLineFails() throws {
        let (header, steps, seals) = try sealedExport()
        for order in [[1, 0, 2], [0, 2, 1], [2, 1, 0]] {
            let v = try verify([header] + steps + order.map { seals[$0] })
            #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("out of order") == true, "\(order): \(v.reason ?? "")")
        }
    }

    /// A seal problem outranks a step problem found before the seal is read.
    @Test func aSealProblemOutranksAChangedStep() throws {
        let (header, steps, seals) = try sealedExport()
        var changed = steps
        changed[0] = changed[0].replacingOccurrences(of: "\"status\":\"completed\"", with: "\"status\":\"failed\"")
        #expect(changed[0] != steps[0])
        let v = try verify([header] + changed + [seals[0], seals[2], seals[1]])
        #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("out of order") == true, "\(v.reason ?? "")")
    }

    /// A seal line that cannot be read in the middle of the seals: FAILED, never verified on the others.
    @Test func aMalformedMiddleSealLineFails() throws {
        let (header, steps, seals) = try sealedExport()
        let broken = seals[1].replacingOccurrences(of: "\"format\":\"runproof/v1\"", with: "\"format\":\"runproof/v0\"")
        #expect(broken != seals[1])
        let v = try verify([header] + steps + [seals[0], broken, seals[2]])
        #expect(v.kind == .failed && v.failureKind == .seal && v.reason?.contains("format") == true, "\(v.reason ?? "")")
    }
}

/// Lines made ready on worker threads give the verdict the calling thread alone gives, byte for byte, on every
/// vector file (valid, tampered, malformed) and on a file of many batches; this suite also runs under
/// ThreadSanitizer (Scripts/test-tsan).
@Suite struct ParallelVerifyTests {
    static var vectorFiles: [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors")
        return ["exports", "locate", "closed", "keyring", "hostile", "bundles"].flatMap { folder -> [String] in
            let dir = root.appendingPathComponent(folder)
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".ndjson") }
                .sorted().map { dir.appendingPathComponent($0).path }
        }
    }

    /// Every verdict and step of a report (not its verification time).
    func report(_ path: String, workers: Int) throws -> String {
        let report = try ExportFile.verify(path: path, collectSteps: true, workers: workers)
        let traces: [JSONValue] = report.traces.map { ["verdict": $0.verdict.json, "steps": .array($0.steps ?? [])] }
        return JSONValue.array(traces + [report.verdict.json]).canonicalString
    }

    @Test func everyVectorFileGetsTheSameReport() throws {
        let files = Self.vectorFiles
        #expect(files.count > 50)
        for path in files {
            let serial = try report(path, workers: 0)
            for workers in [1, 3] { #expect(try report(path, workers: workers) == serial, "\(path), \(workers) workers") }
        }
    }

    /// Thousands of lines (many batches), sealed along the way, then changed at several places.
    @Test func aLongFileGetsTheSameReport() throws {
        var lines = try Fixture.lines(steps: 5_000, sealsAt: [1_000, 2_500, 5_000], key: nil)
        let intact = Fixture.write(lines)
        #expect(try ExportFile.verify(path: intact, workers: 3).verdict.kind == .hashChain)
        #expect(try report(intact, workers: 3) == report(intact, workers: 0))
        lines[3_001] = lines[3_001].replacingOccurrences(of: "\"status\":\"completed\"", with: "\"status\":\"failed\"")
        lines.remove(at: 4_000)
        lines[4_500] = "{not json"
        let tampered = Fixture.write(lines)
        let verdict = try ExportFile.verify(path: tampered, workers: 3).verdict
        #expect(verdict.kind == .failed && verdict.failingStepIndex == 3_999, "\(verdict.reason ?? "")") // the removed line comes first
        #expect(try report(tampered, workers: 3) == report(tampered, workers: 0))
    }

    /// Lines the step template does not take (spaces, keys out of order, escaped text) and one step longer than a
    /// read block, over many blocks: intact on every number of threads, the legacy root from each line's decoded
    /// text; then that long step changed, and lines of two other kinds.
    @Test func linesOfEveryKindAcrossBlocks() throws {
        let long = String(repeating: "long ", count: 300_000)
        func skill(_ i: Int) -> String { i % 11 == 0 ? "say \"\(i)\"\t" : "search" }
        var lines = try Fixture.lines(steps: 5_000, sealsAt: [2_000, 5_000], key: nil) { i in
            Fixture.step(i, skill: skill(i), params: i == 2_500 ? ["q": .string(long)] : nil)
        }
        for i in stride(from: 1, through: 5_000, by: 7) { lines[i] = lines[i].replacingOccurrences(of: "\",\"", with: "\", \"") }
        for i in stride(from: 5, through: 5_000, by: 17) where i % 7 != 1 {
            // `step_index` moved to the front: the parser sorts it back.
            let value = try JSONValue(parsing: Array(lines[i].utf8))
            let index = value["step_index"]!.canonicalString
            lines[i] = "{\"step_index\":\(index)," + String(lines[i].dropFirst()).replacingOccurrences(of: ",\"step_index\":\(index)", with: "")
        }
        let intact = Fixture.write(lines)
        let serial = try report(intact, workers: 0)
        for workers in [1, 2, 3] { #expect(try report(intact, workers: workers) == serial, "\(workers) workers") }
        let verdict = try ExportFile.verify(path: intact, workers: 3).verdict
        var legacy = "run-1"
        for i in 0 ..< 5_000 { legacy += "\(i):\(skill(i)):completed" }
        #expect(verdict.kind == .hashChain && verdict.chainLength == 5_000, "\(verdict.reason ?? "")")
        #expect(verdict.legacyRootHash == SHA256.hash(Array(legacy.utf8)))

        lines[2_501] = lines[2_501].replacingOccurrences(of: "long long", with: "long LONG")
        let tampered = Fixture.write(lines)
        #expect(try ExportFile.verify(path: tampered, workers: 3).verdict.kind == .failed)
        #expect(try report(tampered, workers: 3) == report(tampered, workers: 0))
    }
}

/// The reader's line limit (16 MiB), on every number of threads: a line over it is a FAILED verdict at its step,
/// naming its line, wherever it starts. Not in the ThreadSanitizer run: its lines are tens of megabytes.
@Suite struct LineLimitTests {
    /// The limit is on each line wherever it starts: a line of exactly 16 MiB is read (and judged as JSON), one byte
    /// more is refused, as is a 17 MiB line read after a valid 5 MiB one (which leaves the start of the next to a
    /// batch not of the usual size: growing it by doubling once went past the limit), and the range's last line.
    @Test func theLineLimitHoldsWhereverALineStarts() throws {
        let limit = LineReader.maxLine
        func verdict(_ lines: [String]) throws -> Verdict {
            let path = Fixture.write(lines)
            let verdicts = try [0, 3].map { try ExportFile.verify(path: path, workers: $0).verdict }
            #expect(verdicts[0] == verdicts[1])
            return verdicts[1]
        }
        var lines = try Fixture.lines(steps: 4, sealsAt: [4], key: nil)
        lines[2] = String(repeating: "x", count: limit)
        let exact = try verdict(lines)
        #expect(exact.failingStepIndex == 1 && exact.reason?.contains("longer than") == false, "\(exact.reason ?? "")")
        lines[2] += "x"
        #expect(try verdict(lines).reason?.contains("line 3 of") == true)

        let five = String(repeating: "five ", count: 5 << 20 / 5)
        lines = try Fixture.lines(steps: 4, sealsAt: [4], key: nil) { i in Fixture.step(i, params: i == 1 ? ["q": .string(five)] : nil) }
        #expect(try verdict(lines).kind == .hashChain)
        lines[3] = String(repeating: "x", count: 17 << 20)
        let after = try verdict(lines)
        #expect(after.failingStepIndex == 2 && after.reason?.contains("line 4 of") == true && after.reason?.contains("longer than") == true,
                "\(after.reason ?? "")")
        lines[3] = String(repeating: "x", count: 10)
        lines[4] = String(repeating: "x", count: limit + 1)
        let last = try verdict(lines)
        #expect(last.failingStepIndex == 2 && last.reason?.contains("longer than") == false, "the earlier bad line comes first")
        lines[3] = try Fixture.lines(steps: 4, sealsAt: [4], key: nil) { i in Fixture.step(i, params: i == 1 ? ["q": .string(five)] : nil) }[3]
        let lastAlone = try verdict(lines)
        #expect(lastAlone.failingStepIndex == 3 && lastAlone.reason?.contains("line 5 of") == true, "\(lastAlone.reason ?? "")")
    }

    /// A line longer than the reader takes (16 MiB): FAILED at that step, naming its line, on every number of threads.
    @Test func aLineOverTheLimitFailsNamingIt() throws {
        var lines = try Fixture.lines(steps: 4, sealsAt: [4], key: nil)
        lines[3] = String(repeating: "x", count: LineReader.maxLine + 10)
        let path = Fixture.write(lines)
        for workers in [0, 1, 3] {
            let verdict = try ExportFile.verify(path: path, workers: workers).verdict
            #expect(verdict.kind == .failed && verdict.failingStepIndex == 2 && verdict.failureKind == .notCanonical)
            #expect(verdict.reason?.contains("line 4 of \(path) is longer than \(LineReader.maxLine) bytes") == true, "\(verdict.reason ?? "")")
        }
    }
}

/// What a seal stream itself can do wrong: announce more seals than it gives, or fail to read one.
@Suite struct SealStreamTests {
    func stream(_ lines: [String], announced: Int, failing: RunProofError? = nil) throws -> (ChainVerifier, [String]) {
        let header = Fixture.header()
        let seals = try lines.filter { $0.hasPrefix("{\"seal\"") }.map { try Seal(record: JSONValue(parsing: $0)) }
        var given = seals.makeIterator()
        let verifier = ChainVerifier(header: header, seals: SealStream(count: announced, last: seals.last) {
            if let failing { throw failing }
            return given.next()
        })
        return (verifier, lines.filter { !$0.hasPrefix("{\"seal\"") }.dropFirst().map { $0 })
    }

    func feed(_ verifier: ChainVerifier, _ steps: [String]) {
        for (i, step) in steps.enumerated() {
            let bytes = Array(step.utf8)
            _ = bytes.withUnsafeBytes { verifier.consume(index: i, canonicalStep: $0, skillName: nil, status: nil) }
        }
    }

    @Test func fewerSealsThanAnnouncedFail() throws {
        let lines = try Fixture.lines(steps: 4, sealsAt: [2, 4], key: nil)
        let (verifier, steps) = try stream(lines, announced: 3)
        feed(verifier, steps)
        let verdict = try verifier.finish()
        #expect(verdict.kind == .failed && verdict.failureKind == .seal && verdict.reason?.contains("changed while they were read") == true,
                "\(verdict.reason ?? "")")
    }

    @Test func aSealThatCannotBeReadIsAnErrorNotAVerdict() throws {
        let lines = try Fixture.lines(steps: 4, sealsAt: [2, 4], key: nil)
        let (verifier, steps) = try stream(lines, announced: 2, failing: RunProofError(.io, "connection lost"))
        feed(verifier, steps)
        #expect { try verifier.finish() } throws: { ($0 as? RunProofError)?.code == .io }
    }
}
