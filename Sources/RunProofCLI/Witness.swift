import ArgumentParser
import RunProofCore
#if canImport(Glibc)
import Glibc
#endif

extension RunProofCommand {
    /// `runproof witness`: acts as a witness of RunProof checkpoints (c2sp.org/tlog-cosignature).
    struct Witness: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Witness checkpoints: cosign one only if it is consistent with every earlier one of its origin.",
            subcommands: [Cosign.self])

        struct Cosign: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a signed checkpoint against the witness's state and print it with the witness's cosignature.",
                discussion: """
                The state file (JSON, owned by the witness) keeps the latest size and root cosigned for each origin. A larger \
                checkpoint needs --proof, a consistency proof from that size (runproof prove --consistency A B). A checkpoint of \
                the same size with another root, or a smaller one, is a fork or a rollback: refused (exit 1).
                """)

            @Option(help: "Signed checkpoint to cosign (runproof checkpoint).")
            var checkpoint: String

            @Option(help: "The log's verifier key: the checkpoint must carry its valid signature.")
            var logVkey: String

            @Option(help: "The witness's Ed25519 private key (PEM).")
            var key: String

            @Option(help: "The witness's name in its cosignature.")
            var name: String

            @Option(help: "The witness's state file (created if missing).")
            var state: String

            @Option(help: "Consistency proof (JSON, from runproof prove --consistency) from the size last cosigned for this origin.")
            var proof: String?

            func validate() throws {
                guard NoteKey(verifierKey: logVkey) != nil else { throw ValidationError("--log-vkey is not an Ed25519 verifier key") }
                guard NoteKey.isValidName(name) else { throw ValidationError("--name must be non-empty, without spaces or '+'") }
            }

            func run() throws {
                let note = Array(try readText(checkpoint).utf8)
                guard let body = NoteKey(verifierKey: logVkey)!.open(note), let head = CheckpointBody(body) else {
                    throw RunProofError(.integrity, "refused: the checkpoint is not a checkpoint signed by the log's key")
                }
                var origins = try readState()
                if let known = origins[head.origin] {
                    if head.size < known.size {
                        throw RunProofError(.integrity, "refused: rollback: size \(head.size) after size \(known.size) was cosigned for \(head.origin)")
                    }
                    if head.size == known.size, head.root != known.root {
                        throw RunProofError(.integrity, "refused: fork: another root at size \(head.size) of \(head.origin) was cosigned")
                    }
                    if head.size > known.size { try checkConsistency(from: known, to: head) }
                }
                origins[head.origin] = (head.size, head.root)
                let line = try WitnessKey.cosign(body: body, time: UInt64(time(nil)), name: name, key: try readPrivateKey(key))
                try writeState(origins)
                var text = String(decoding: note, as: UTF8.self)
                if !text.hasSuffix("\n") { text += "\n" }
                print(text + line)
            }

            /// The consistency proof must lead from what was cosigned to this checkpoint, for this origin.
            private func checkConsistency(from known: (size: Int, root: Digest), to head: CheckpointBody) throws {
                guard let proof else {
                    throw RunProofError(.integrity, "refused: size \(head.size) of \(head.origin) needs a consistency proof from size \(known.size) (--proof)")
                }
                let json = try JSONValue(parsing: try readText(proof))
                guard let header = try? TraceHeader(json: json["header"] ?? .null),
                      let first = try? Seal(record: json["first"] ?? .null), let second = try? Seal(record: json["second"] ?? .null),
                      case .array(let items)? = json["path"] else { throw RunProofError(.usage, "\(proof) is not a consistency proof") }
                let path = items.compactMap { $0.string.flatMap { Digest(hex: $0) } }
                guard Checkpoint.origin(tenant: header.tenantId, trace: header.traceId) == head.origin,
                      first.chainLength == known.size, first.merkleRoot == known.root,
                      second.chainLength == head.size, second.merkleRoot == head.root, path.count == items.count,
                      MerkleProof.verifyConsistency(first: known.size, second: head.size, firstRoot: known.root, secondRoot: head.root, path: path)
                else {
                    throw RunProofError(.integrity, "refused: inconsistent: size \(head.size) of \(head.origin) does not extend the size \(known.size) cosigned before")
                }
            }

            private func readState() throws -> [String: (size: Int, root: Digest)] {
                guard access(state, F_OK) == 0 else { return [:] }
                let json = try JSONValue(parsing: try readText(state))
                guard case .object(let origins)? = json["origins"] else { throw RunProofError(.usage, "\(state) is not a witness state file") }
                return try origins.mapValues { entry in
                    guard let size = entry["size"]?.int, let root = entry["root_hash"]?.string.flatMap({ Digest(hex: $0) }) else {
                        throw RunProofError(.usage, "\(state) is not a witness state file")
                    }
                    return (size, root)
                }
            }

            private func writeState(_ origins: [String: (size: Int, root: Digest)]) throws {
                let json: JSONValue = ["origins": .object(origins.mapValues { ["size": JSONValue($0.size), "root_hash": .string($0.root.hex)] })]
                try replaceText(json.canonicalString + "\n", at: state)
            }
        }
    }
}
