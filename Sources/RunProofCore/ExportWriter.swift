/// Writes an export file, whole or not at all (docs/chain-v1.md 7; see `OutputFile`).
public final class ExportWriter {
    private let output: OutputFile
    private let writer: BufferedWriter

    /// Starts the file (beside `path` until `close()`) and writes the header line. An existing `path` is refused
    /// unless the policy forces its replacement; an input of the policy is never overwritten.
    public init(path: String, header: TraceHeader, policy: OutputPolicy = OutputPolicy()) throws {
        output = try OutputFile(path: path, policy: policy)
        writer = BufferedWriter(output.handle)
        try write(line: header.json.canonicalBytes)
    }

    public func write(canonicalStep: [UInt8]) throws { try write(line: canonicalStep) }

    /// Writes a leaf-record line: the leaves recorded at seal time for steps `from ..< from + leaves.count`.
    package func writeLeafRecord(from: Int, leaves: [Digest]) throws {
        precondition(!leaves.isEmpty && leaves.count <= ExportFile.leafRecordBlock)
        let raw = leaves.flatMap(\.bytes)
        try write(record: ["leaf_record": ["from": JSONValue(from), "leaves": .string(Base64.encode(raw))]])
    }

    public func write(seal: Seal) throws { try write(record: seal.record) }

    /// Writes one record line (seal, evidence, governance), canonical.
    func write(record: JSONValue) throws { try write(line: record.canonicalBytes) }

    private func write(line: [UInt8]) throws {
        content.update(line)
        content.update(byte: 0x0A)
        try writer.write(line: line)
    }

    /// SHA-256 of every line written so far, each followed by `\n`: what a bundle signature covers.
    private let content = SHA256()

    /// Ends a bundle: signs the digest of everything written and writes the bundle signature line.
    func writeBundleSignature(key: SigningKey, signedAt: String = Timestamp.now()) throws {
        try writer.write(line: try AuditBundle.signature(contentDigest: content.finalize(), key: key, signedAt: signedAt).canonicalBytes)
    }

    /// Finishes the file: flushed, synced and put in place at its path.
    public func close() throws {
        try writer.flush()
        try output.commit()
    }

    /// Appends one seal line to an export file without ever leaving it half-written: the file is copied beside
    /// itself with the line added, synced, and renamed over the original (a failure or a crash leaves it as it was).
    package static func append(seal: Seal, to path: String) throws {
        let reader = try FileHandle(reading: path)
        let output = try OutputFile(path: path, policy: OutputPolicy(force: true))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0, last: UInt8 = 0x0A
        while true {
            let n = try chunk.withUnsafeMutableBytes { try reader.read(into: $0, at: offset) }
            if n == 0 { break }
            try chunk.withUnsafeBytes { try output.handle.write(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            last = chunk[n - 1]
            offset += n
        }
        var line = seal.record.canonicalBytes
        line.append(0x0A)
        if last != 0x0A { line.insert(0x0A, at: 0) }
        try line.withUnsafeBytes { try output.handle.write($0) }
        try output.commit()
    }
}
