import ArgumentParser
import RunProofCore
#if canImport(Glibc)
import Glibc
#endif

/// How results are printed.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print a JSON object instead of text.")
    var json = false
}

/// Which key verifies seal signatures.
struct TrustOptions: ParsableArguments {
    @Option(help: "Ed25519 public key (PEM) that must have signed the seals.")
    var pubkey: String?

    @Flag(help: "Fail unless every seal is signed by --pubkey.")
    var requireSignature = false

    func validate() throws {
        if requireSignature && pubkey == nil { throw ValidationError("--require-signature needs --pubkey") }
    }

    func policy() throws -> TrustPolicy {
        TrustPolicy(publicKey: try pubkey.map { try PublicKey(pem: try readText($0)) }, requireSignature: requireSignature)
    }
}

/// Reads a whole small text file (keys).
func readText(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else {
        throw RunProofError(.noInput, "cannot read \(path)", underlying: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while case let n = fread(&chunk, 1, chunk.count, file), n > 0 {
        bytes.append(contentsOf: chunk[..<n])
        guard bytes.count < 1 << 20 else { throw RunProofError(.usage, "\(path) is too large for a key file") }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes a small text file with the given permissions, refusing to overwrite.
func writeText(_ text: String, to path: String, mode: mode_t) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw RunProofError(.noInput, "cannot create \(path)", underlying: String(cString: strerror(errno))) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else {
        throw RunProofError(.io, "cannot write \(path)", underlying: String(cString: strerror(errno)))
    }
}

func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    _ = write(2, bytes, bytes.count)
}
