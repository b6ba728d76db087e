// Testable: the step template's check (`JCS.canonicalLine`) is internal, checked here against the public one.
@testable import RunProofCore
#if canImport(Glibc)
import Glibc
#endif

/// The reader under test, chosen by RUNPROOF_FUZZ_TARGET (Scripts/fuzz sets it).
let target = getenv("RUNPROOF_FUZZ_TARGET").map { String(cString: $0) } ?? "jcs"

/// A scratch file for the readers that take a path.
let scratch = "/tmp/runproof-fuzz-\(getpid()).ndjson"

/// The published test key, for the readers that check signatures (the fuzzer finds its way to them from the seeds).
let testKey: PublicKey? = {
    guard let dir = getenv("RUNPROOF_FUZZ_VECTORS").map({ String(cString: $0) }),
          let file = fopen(dir + "/test-key.pub.pem", "r") else { return nil }
    defer { fclose(file) }
    var bytes = [UInt8](repeating: 0, count: 4096)
    let n = fread(&bytes, 1, bytes.count, file)
    return try? PublicKey(pem: String(decoding: bytes[..<n], as: UTF8.self))
}()

/// Fails the run (libFuzzer records the input) when an invariant breaks.
func require(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(what())") }
}

/// What a seal reader made of a record: the seal, or its refusal's message.
enum SealRead: Equatable {
    case seal(Seal), refused(String)

    init(_ read: () throws(RunProofError) -> Seal) {
        do { self = .seal(try read()) } catch { self = .refused(error.message) }
    }
}

func write(_ bytes: [UInt8]) {
    guard let file = fopen(scratch, "w") else { return }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case "jcs":
        // Canonical output is a fixed point, and the value reader gives back the same bytes.
        // The fast path agrees with the parser: what it calls canonical, the parser writes back unchanged.
        var jcs = JCS()
        let fast = bytes.withUnsafeBytes { jcs.isCanonical($0) }
        // The step template takes a text exactly when it is canonical with the step keys (in canonical order, being
        // canonical), and ends it where the text or its first line ends.
        let template = StepField.prefixes
        let valueEnds = UnsafeMutableBufferPointer<Int>.allocate(capacity: StepField.allCases.count)
        defer { valueEnds.deallocate() }
        let lineEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        if let end = bytes.withUnsafeBytes({ jcs.canonicalLine($0, prefixes: template.bytes, ends: template.ends, valueEnds: valueEnds) }) {
            let line = Array(bytes[..<lineEnd])
            require(end == lineEnd && line.withUnsafeBytes { jcs.isCanonical($0) }
                    && Set((try? JSONValue(parsing: line))?.objectKeys ?? []) == StepField.keySet, "the step template took a text that is not a canonical step")
            // Where its values end are the object's separators, in order, the last its closing brace.
            let ends = Array(valueEnds)
            require(ends.last == end - 1 && ends.allSatisfy { bytes[$0] == UInt8(ascii: ",") || bytes[$0] == UInt8(ascii: "}") }
                    && zip(ends, ends.dropFirst()).allSatisfy { $0 < $1 }, "the template's value ends are not the object's separators")
        } else if lineEnd == bytes.count, fast, Set((try? JSONValue(parsing: bytes))?.objectKeys ?? []) == StepField.keySet {
            require(false, "the step template refused a canonical step")
        }
        var parsed: [UInt8] = []
        let parses = bytes.withUnsafeBytes { (try? jcs.canonicalizeByParsing($0, into: &parsed)) != nil }
        if fast { require(parses && parsed == bytes, "isCanonical accepted a text the parser changes or refuses") }
        if let canonical = try? JCS.canonicalize(bytes) {
            require(parses && canonical == parsed, "the fast path and the parser disagree")
            require((try? JCS.canonicalize(canonical)) == canonical, "JCS is not idempotent")
            require((try? JSONValue(parsing: bytes))?.canonicalBytes == canonical, "JSONValue does not round-trip")
        }
    case "export":
        write(bytes)
        let trust = TrustPolicy(publicKey: testKey)
        if let report = try? ExportFile.verify(path: scratch, trust: trust), report.verdict.kind == .hashChain {
            require(report.verdict.sealCount > 0 && report.verdict.chainLength > 0, "HASH_CHAIN without seals or steps")
        }
    case "bundle":
        write(bytes)
        _ = try? AuditBundle.verify(path: scratch, trust: TrustPolicy(publicKey: testKey))
    case "proof":
        if let json = try? JSONValue(parsing: bytes) { _ = ProofFile.verify(json, trust: TrustPolicy(publicKey: testKey)) }
        _ = TlogProof.verify(bytes, verifierKey: nil, publicKey: testKey)
    case "seal":
        if let json = try? JSONValue(parsing: bytes), let seal = try? Seal(record: json) {
            require((try? Seal(record: seal.record)) == seal, "a seal does not round-trip")
        }
        // The direct reader of record text reads what the reader through a JSON tree reads, and refuses alike.
        let text = String(decoding: bytes, as: UTF8.self)
        let direct = SealRead { () throws(RunProofError) in try Seal(recordText: text) }
        if let json = try? JSONValue(parsing: text) {
            require(direct == SealRead { () throws(RunProofError) in try Seal(record: json) }, "the direct seal reader disagrees with the tree reader")
        } else if case .seal = direct {
            require(false, "the direct seal reader accepted text that is not JSON")
        }
    case "timestamp":
        let stamp = String(decoding: bytes, as: UTF8.self)
        require(Timestamp.isNormalized(stamp) == ((try? Timestamp.normalize(stamp)) == stamp), "isNormalized disagrees with normalize")
        if let normalized = try? Timestamp.normalize(stamp) {
            require((try? Timestamp.normalize(normalized)) == normalized, "a normalized timestamp is not a fixed point")
        }
    case "key":
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? PublicKey(pem: text)
        _ = try? SigningKey(pem: text)
        _ = NoteKey(verifierKey: text)
        _ = WitnessKey(verifierKey: text)
        if let json = try? JSONValue(parsing: bytes) { _ = try? Keyring(json: json) }
    default:
        fatalError("unknown RUNPROOF_FUZZ_TARGET \(target)")
    }
    return 0
}

/// libFuzzer's driver, run from the executable's entry point (SwiftPM names it `RunProofFuzz_main`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("RunProofFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
}
