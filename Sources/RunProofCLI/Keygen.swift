import ArgumentParser
import RunProofCore

/// `runproof keygen`: writes a new Ed25519 key pair as PEM files.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate an Ed25519 signing key (PKCS#8 PEM) and its public key.")

    @Option(name: .shortAndLong, help: "Private key file to create (mode 0600).")
    var out: String = "runproof-key.pem"

    @Option(help: "Public key file to create (default: <out>.pub).")
    var pub: String?

    func run() throws {
        try reportingErrors {
            let key = try SigningKey()
            let pubPath = pub ?? out + ".pub"
            try writeText(key.pem, to: out, mode: 0o600)
            try writeText(key.publicKey.pem, to: pubPath, mode: 0o644)
            print("private key: \(out)\npublic key:  \(pubPath)\nkey_id:      \(key.publicKey.keyId)")
        }
    }
}
