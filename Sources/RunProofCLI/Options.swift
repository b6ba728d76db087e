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

/// Which keys verify seal signatures, and what the verdict demands.
struct TrustOptions: ParsableArguments {
    @Option(help: "Ed25519 public key (PEM) that must have signed the latest seal.")
    var pubkey: String?

    @Option(help: "Keyring (JSON) of trusted keys with validity periods: every seal must be signed by a key valid at its sealed_at.")
    var keyring: String?

    @Flag(help: "Fail unless the seals are signed by --pubkey (or the --keyring).")
    var requireSignature = false

    @Flag(help: "Fail a finished trace (in an export file: any trace) that has no closing seal.")
    var requireClosed = false

    func validate() throws {
        if pubkey != nil && keyring != nil { throw ValidationError("give --pubkey or --keyring, not both") }
        if requireSignature && pubkey == nil && keyring == nil { throw ValidationError("--require-signature needs --pubkey or --keyring") }
    }

    func policy() throws -> TrustPolicy {
        TrustPolicy(publicKey: try pubkey.map { try PublicKey(pem: try readText($0)) },
                    keyring: try keyring.map { try readKeyring($0) },
                    requireSignature: requireSignature || keyring != nil, requireClosed: requireClosed)
    }
}

/// The key a command signs with: `--key`, else the file named by `RUNPROOF_KEY`, else none.
struct SigningOptions: ParsableArguments {
    @Option(help: "Ed25519 private key (PEM) to sign with (default: the file named by RUNPROOF_KEY).")
    var key: String?

    /// The key file's path, if `--key` or `RUNPROOF_KEY` names one.
    var path: String? {
        key ?? getenv("RUNPROOF_KEY").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The signing key, or nil when none is named.
    func signer() throws -> SigningKey? {
        try path.map(readPrivateKey)
    }
}

/// The keys a signed note (checkpoint, tlog-proof) is checked with: the log's verifier key and the witnesses.
struct NoteTrustOptions: ParsableArguments {
    @Option(help: "With --checkpoint or a tlog-proof, the verifier key <name>+<hex id>+<base64> (runproof keygen prints it).")
    var vkey: String?

    @Option(help: "With --checkpoint, a witness's verifier key (runproof keygen prints it); repeatable.")
    var witness: [String] = []

    @Option(help: "With --witness, how many of the witnesses must have cosigned (default: all given).")
    var witnessQuorum: Int?

    func validate() throws {
        if let vkey, NoteKey(verifierKey: vkey) == nil {
            throw ValidationError("--vkey is not an Ed25519 verifier key (<name>+<8 hex digits>+<base64 of 0x01 and the key>)")
        }
        guard hasWitnesses else { return }
        guard witness.allSatisfy({ WitnessKey(verifierKey: $0) != nil }) else { throw ValidationError("a --witness is not a witness verifier key") }
        guard (1 ... max(1, witness.count)).contains(quorum), !witness.isEmpty else {
            throw ValidationError("--witness-quorum must be between 1 and the number of --witness keys")
        }
    }

    var hasWitnesses: Bool { !witness.isEmpty || witnessQuorum != nil }
    var key: NoteKey? { vkey.flatMap { NoteKey(verifierKey: $0) } }
    var witnesses: [WitnessKey] { witness.compactMap { WitnessKey(verifierKey: $0) } }
    /// How many witnesses must have cosigned.
    var quorum: Int { witnessQuorum ?? max(1, witness.count) }
}

/// A verification receipt: the file to write and the key that signs it.
struct ReceiptOptions: ParsableArguments {
    @Option(name: .customLong("receipt"), help: "Write a verification receipt (DSSE envelope of an in-toto Statement) to this new file, signed with --key.")
    var path: String?

    @OptionGroup var signing: SigningOptions

    @Flag(help: "With --receipt, replace the receipt file if it exists (whole, atomically).")
    var force = false
}

/// The file a command writes: an existing one is refused unless `--force`, and replaced whole.
struct OutputFileOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: "File to write (an existing one is refused unless --force).")
    var path: String

    @Flag(help: "Replace the output file if it exists (whole: it is written beside it, then renamed over it).")
    var force = false
}

/// Reads a keyring file (docs/chain-v1.md 6.4).
func readKeyring(_ path: String) throws -> Keyring {
    let json: JSONValue
    do { json = try JSONValue(parsing: try readText(path)) } catch let error as RunProofError { throw error } catch {
        throw RunProofError(.usage, "keyring \(path) is not JSON: \(error)")
    }
    do { return try Keyring(json: json) } catch { throw RunProofError(.usage, "keyring \(path): \(error.message)") }
}


/// Reads an Ed25519 private key, refusing one that others can read (as ssh does): it may already have leaked.
func readPrivateKey(_ path: String) throws -> SigningKey {
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
        throw RunProofError(.usage, "permissions \(String(info.st_mode & 0o777, radix: 8)) for private key \(path) are too open: it must be readable by its owner only (chmod 600 \(path))")
    }
    do { return try SigningKey(pem: try readText(path)) } catch let error as RunProofError where error.code == .key {
        throw RunProofError(.usage, "\(path): \(error.message)", underlying: error.underlying)
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

/// Replaces a small text file whole: a temporary file in the same directory, synced, then renamed over it.
func replaceText(_ text: String, at path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw RunProofError(.noInput, "cannot create \(temporary)", underlying: String(cString: strerror(errno))) }
    let bytes = Array(text.utf8)
    let ok = write(fd, bytes, bytes.count) == bytes.count && fsync(fd) == 0
    close(fd)
    guard ok, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw RunProofError(.io, "cannot write \(path)", underlying: reason)
    }
}

func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    _ = write(2, bytes, bytes.count)
}
