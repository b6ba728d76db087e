import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import RunProofCore

extension RunProofCommand {
    /// `runproof keygen`: writes a new Ed25519 key pair as PEM files.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate an Ed25519 signing key (PKCS#8 PEM) and its public key.")

        @Option(name: .shortAndLong, help: "Private key file to create (mode 0600).")
        var out: String = "runproof-key.pem"

        @Option(help: "Public key file to create (default: <out>.pub).")
        var pub: String?

        @Option(help: "Keyring (JSON) to add the new public key to, valid from now; created if missing.")
        var keyring: String?

        @Option(help: "Key name for signed-note checkpoints (no spaces, no '+'); part of the verifier key.")
        var keyName = Checkpoint.defaultKeyName

        func validate() throws {
            guard NoteKey.isValidName(keyName) else { throw ValidationError("--key-name must be non-empty, without spaces or '+'") }
        }

        func run() throws {
            let key = try SigningKey()
            let pubPath = pub ?? out + ".pub"
            var ring = try keyring.map { path in access(path, F_OK) == 0 ? try readKeyring(path) : Keyring() }
            try writeText(key.pem, to: out, mode: 0o600)
            try writeText(key.publicKey.pem, to: pubPath, mode: 0o644)
            print("private key: \(out)\npublic key:  \(pubPath)\nkey_id:      \(key.publicKey.keyId)")
            print("verifier key (signed-note checkpoints): \(try NoteKey(name: keyName, key: key.publicKey).verifierKey)")
            print("witness key (cosignatures): \(try WitnessKey(name: keyName, key: key.publicKey).verifierKey)")
            if let keyring, ring != nil {
                ring!.entries.append(Keyring.Entry(key: key.publicKey, notBefore: Timestamp.now()))
                try replaceText(ring!.json.canonicalString + "\n", at: keyring)
                print("keyring:     \(keyring) (\(ring!.entries.count) key\(ring!.entries.count == 1 ? "" : "s"); rotate by setting the old key's not_after, revoke by setting revoked_at)")
            }
        }
    }
}
