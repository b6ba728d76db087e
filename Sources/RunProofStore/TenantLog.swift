import RunProofCore

/// The tenant log: an append-only Merkle log per tenant whose leaves commit to each closing seal of the
/// tenant's runs, with its own signed checkpoints (docs/chain-v1.md 10.4). It shows that no sealed run was
/// later removed or rewritten, which no per-run chain can.
package enum TenantLog {
    static let entryFormat = "runproof/tenant-log-v1"
    static let consistencyFormat = TenantLogProof.consistencyFormat

    /// `runproof-tenant-log/<enc(tenant)>`.
    static func origin(tenant: String) -> String { "runproof-tenant-log/\(Checkpoint.percentEncoded(tenant))" }

    /// The entry a closing seal adds: what the run's trace was closed at.
    static func entry(of seal: Seal) -> JSONValue {
        ["chain_length": JSONValue(seal.chainLength), "format": .string(entryFormat), "head": .string(seal.head.hex),
         "merkle_root": .string(seal.merkleRoot.hex), "run_id": .string(seal.runId), "tenant_id": .string(seal.tenantId),
         "trace_id": .string(seal.traceId)]
    }

    /// A signed (or unsigned) head of a tenant log.
    package struct Head: Sendable {
        var tenant: String
        var size: Int
        var root: Digest
        var frontier: [Digest]
        var checkpointSignature: String?

        /// The checkpoint body: origin, size, base64 root.
        var body: [UInt8] { Array("\(TenantLog.origin(tenant: tenant))\n\(size)\n\(Base64.encode(root.bytes))\n".utf8) }

        /// The signed note, or nil when unsigned.
        package var note: String? { checkpointSignature.map { String(decoding: body, as: UTF8.self) + "\n" + $0 + "\n" } }
    }

    /// Appends the closing seal's entry, under the tenant's log lock, inside the caller's transaction.
    static func append(_ store: any TraceStore, closing seal: Seal, key: SigningKey?, keyName: String) throws {
        if store.dialect == .postgres {
            _ = try store.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ["runproof-tenant-log:" + seal.tenantId])
        }
        let latest = try head(store, tenant: seal.tenantId)
        let tree = try MerkleTree(size: latest?.size ?? 0, frontier: latest?.frontier ?? [])
        let entry = entry(of: seal).canonicalBytes
        tree.append(Leaf.hash(entry))
        var head = Head(tenant: seal.tenantId, size: tree.size, root: tree.root, frontier: tree.frontier)
        if let key { head.checkpointSignature = try NoteKey.signatureLine(body: head.body, name: keyName, key: key) }
        try store.execute("INSERT INTO aos_tenant_log (tenant_id, log_index, trace_id, run_id, entry) VALUES ($1, $2, $3, $4, $5)",
                          [seal.tenantId, String(tree.size - 1), seal.traceId, seal.runId, String(decoding: entry, as: UTF8.self)])
        try store.execute("INSERT INTO aos_tenant_log_heads (tenant_id, size, root, frontier, checkpoint_signature) VALUES ($1, $2, $3, $4, $5)",
                          [head.tenant, String(head.size), head.root.hex, head.frontier.map(\.hex).joined(separator: ","), head.checkpointSignature])
    }

    /// The latest head of a tenant's log (or the head at `size`), nil when none.
    package static func head(_ store: any TraceStore, tenant: String, size: Int? = nil) throws -> Head? {
        let rows = try store.query("""
            SELECT size, root, frontier, checkpoint_signature FROM aos_tenant_log_heads WHERE tenant_id = $1 \
            \(size == nil ? "ORDER BY size DESC LIMIT 1" : "AND size = $2")
            """, size.map { [tenant, String($0)] } ?? [tenant])
        guard let row = rows.first, let n = row[0].flatMap({ Int($0) }), let root = row[1].flatMap({ Digest(hex: $0) }) else { return nil }
        let frontier = (row[2] ?? "").split(separator: ",").compactMap { Digest(hex: $0) }
        return Head(tenant: tenant, size: n, root: root, frontier: frontier, checkpointSignature: row[3])
    }

    /// The entry of a trace: its index and canonical bytes.
    static func entry(_ store: any TraceStore, tenant: String, trace: String) throws -> (index: Int, entry: [UInt8])? {
        let rows = try store.query("SELECT log_index, entry FROM aos_tenant_log WHERE tenant_id = $1 AND trace_id = $2", [tenant, trace])
        guard let row = rows.first, let index = row[0].flatMap({ Int($0) }), let entry = row[1] else { return nil }
        return (index, Array(entry.utf8))
    }

    /// Streams the leaves of a tenant's log from index 0 below `size`, checking the indexes run without gaps.
    static func forEachLeaf(_ store: any TraceStore, tenant: String, below size: Int, _ body: (Int, Digest) -> Void) throws {
        var expected = 0
        for row in try store.query("SELECT log_index, entry FROM aos_tenant_log WHERE tenant_id = $1 AND log_index < $2 ORDER BY log_index",
                                   [tenant, String(size)]) {
            guard row[0].flatMap({ Int($0) }) == expected, let entry = row[1] else {
                throw RunProofError(.integrity, "the tenant log of \(tenant) has no entry \(expected): entries were removed")
            }
            body(expected, Leaf.hash(Array(entry.utf8)))
            expected += 1
        }
        guard expected == size else { throw RunProofError(.integrity, "the tenant log of \(tenant) has \(expected) entries below \(size): entries were removed") }
    }

    /// A tlog-proof (docs/chain-v1.md 10.1) that a trace's closing seal is in the tenant's latest signed checkpoint.
    package static func inclusionProof(_ store: any TraceStore, tenant: String, trace: String) throws -> String {
        guard let (index, entry) = try entry(store, tenant: tenant, trace: trace) else {
            throw RunProofError(.notFound, "trace \(trace) is not in the tenant log: it was never closed (seal it once its run is finished)")
        }
        guard let head = try head(store, tenant: tenant), let note = head.note else {
            throw RunProofError(.usage, "the tenant log of \(tenant) has no signed checkpoint: seal with --key")
        }
        let collector = SubtreeCollector(ranges: MerkleProof.inclusionRanges(index: index, size: head.size))
        let tree = MerkleTree()
        try forEachLeaf(store, tenant: tenant, below: head.size) { _, leaf in collector.add(leaf); tree.append(leaf) }
        guard tree.root == head.root else {
            throw RunProofError(.integrity, "the tenant log of \(tenant) does not match its checkpoint at size \(head.size)")
        }
        var text = "\(TlogProof.firstLine)\nextra \(Base64.encode(entry))\nindex \(index)\n"
        for hash in collector.roots() ?? [] { text += Base64.encode(hash.bytes) + "\n" }
        return text + "\n" + note
    }

    /// A consistency proof between the tenant log's signed checkpoints at sizes `first` and `second`.
    package static func consistencyProof(_ store: any TraceStore, tenant: String, first: Int, second: Int) throws -> JSONValue {
        guard first >= 1, first <= second, let a = try head(store, tenant: tenant, size: first), let b = try head(store, tenant: tenant, size: second),
              let noteA = a.note, let noteB = b.note else {
            throw RunProofError(.usage, "the tenant log of \(tenant) has no signed checkpoints at sizes \(first) and \(second)")
        }
        let collector = SubtreeCollector(ranges: MerkleProof.consistencyRanges(first: first, second: second))
        let tree = MerkleTree()
        var rootA: Digest?
        try forEachLeaf(store, tenant: tenant, below: second) { index, leaf in
            collector.add(leaf)
            tree.append(leaf)
            if index + 1 == first { rootA = tree.root }
        }
        guard rootA == a.root, tree.root == b.root else {
            throw RunProofError(.integrity, "the tenant log of \(tenant) no longer matches its checkpoints at sizes \(first) and \(second): entries were removed or rewritten")
        }
        return ["format": .string(consistencyFormat), "origin": .string(origin(tenant: tenant)),
                "first": .string(noteA), "second": .string(noteB),
                "path": .array((collector.roots() ?? []).map { .string($0.hex) })]
    }
}
