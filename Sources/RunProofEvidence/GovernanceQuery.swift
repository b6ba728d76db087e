import RunProofCore
import RunProofStore

/// The platform's LLMRunGovernance answer: the audit-ledger events that carry a run's id, newest first, paged.
extension EvidenceQueries {
    /// Entity types whose events the platform counts as governance of a run (`--all-entity-types` lifts the filter).
    static let governanceEntityTypes = ["POLICY_RULE", "LIMIT", "POLICY_PROPOSAL", "INCIDENT"]

    /// The run filter, in SQL: the run id under `run_id` or `source_run_id` of `after_state` or `before_state`.
    /// Its four expressions are those of the optional indexes (EvidenceIndexes), so each can be an index scan:
    /// PostgreSQL ORs them (a BitmapOr); SQLite uses an expression index only outside an OR, so there the
    /// matching ids are the union of four indexed lookups.
    private func governanceFilter(allEntityTypes: Bool) -> String {
        let keys = ["after_state", "before_state"].flatMap { column in
            ["run_id", "source_run_id"].map { "\(EvidenceIndexes.stateKey(column, $0, store.dialect)) = $2" }
        }
        let run = store.dialect == .postgres
            ? "(\(keys.joined(separator: "\n       OR ")))"
            : "id IN (\(keys.map { "SELECT id FROM audit_ledger WHERE \($0) AND tenant_id = $1" }.joined(separator: "\n              UNION ALL ")))"
        let types = allEntityTypes ? "" : "\n  AND entity_type IN (\(Self.governanceEntityTypes.map { "'\($0)'" }.joined(separator: ", ")))"
        return "tenant_id = $1\n  AND \(run)" + types
    }

    /// One page of the run's events (also used by the EXPLAIN checks).
    package func governanceSQL(allEntityTypes: Bool = false) -> String {
        """
        SELECT id, \(ts("created_at")) AS created_text, event_type, entity_type, entity_id, actor_type, actor_id, action_reason, correlation_id,
               \(text("before_state")), \(text("after_state"))
        FROM audit_ledger
        WHERE \(governanceFilter(allEntityTypes: allEntityTypes))
        ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4
        """
    }

    /// How many events match in all (`total_events`).
    package func governanceCountSQL(allEntityTypes: Bool = false) -> String {
        "SELECT count(*) FROM audit_ledger\nWHERE \(governanceFilter(allEntityTypes: allEntityTypes))"
    }

    /// The tables and columns the governance query reads.
    static let governanceColumns: [(String, [String])] = [
        ("audit_ledger", ["id", "tenant_id", "event_type", "entity_type", "entity_id", "actor_type", "actor_id", "action_reason",
                          "before_state", "after_state", "created_at", "correlation_id"]),
    ]

    /// One page of the run's governance events, with `total_events` over all of them and the evidence metadata.
    public func governance(tenant: String, run: String, limit: Int = defaultLimit, offset: Int = 0,
                           allEntityTypes: Bool = false, computedAt: String = Timestamp.now()) throws -> JSONValue {
        try Self.checkPage(limit: limit, offset: offset)
        try PlatformCatalog(store: store).require(Self.governanceColumns, for: "read the governance events of run \(run)")
        let hasTraces = try traceTableExists()
        return try readConsistently {
            let rows = try store.query(governanceSQL(allEntityTypes: allEntityTypes), [tenant, run, String(limit + 1), String(offset)])
            let count = try store.query(governanceCountSQL(allEntityTypes: allEntityTypes), [tenant, run])
            let total = count.first?.first.flatMap { $0 }.flatMap { Int($0) } ?? 0
            let trace = hasTraces ? try (store as? any TraceStore)?.traces(tenant: tenant, run: run).first : nil
            return answer(tenant: tenant, run: run, events: rows.prefix(limit).map(event), total: total,
                          nextOffset: rows.count > limit ? offset + limit : nil, trace: trace, computedAt: computedAt)
        }
    }

    /// Every event of the run in one answer (audit bundles): the pages read in one snapshot, the checksum over all.
    package func allGovernance(tenant: String, run: String, allEntityTypes: Bool = false,
                              computedAt: String = Timestamp.now()) throws -> JSONValue {
        try PlatformCatalog(store: store).require(Self.governanceColumns, for: "read the governance events of run \(run)")
        let hasTraces = try traceTableExists()
        return try readConsistently {
            var events: [JSONValue] = []
            let pageSize = 1000
            while true {
                let rows = try store.query(governanceSQL(allEntityTypes: allEntityTypes),
                                           [tenant, run, String(pageSize + 1), String(events.count)])
                events += rows.prefix(pageSize).map(event)
                if rows.count <= pageSize { break }
            }
            let trace = hasTraces ? try (store as? any TraceStore)?.traces(tenant: tenant, run: run).first : nil
            return answer(tenant: tenant, run: run, events: events, total: events.count, nextOffset: nil, trace: trace,
                          computedAt: computedAt)
        }
    }

    /// Whether the database has a trace table the metadata can be filled from.
    private func traceTableExists() throws -> Bool {
        let catalog = PlatformCatalog(store: store)
        return try catalog.exists("aos_traces") || (store.dialect == .sqlite && catalog.exists("traces"))
    }

    /// One audit-ledger row as the platform's GovernanceEventResult, plus the row's own columns.
    private func event(_ r: [String?]) -> JSONValue {
        func state(_ text: String?) -> JSONValue {
            guard let text else { return .null }
            return (try? JSONValue(parsing: text)) ?? .string(text)
        }
        return ["timestamp": time(r[1]), "event_type": JSONValue(r[2]),
                "policy_id": r[3] == "POLICY_RULE" ? JSONValue(r[4]) : .null, "rule_id": JSONValue(r[4]),
                "decision": "ENFORCED", "entity_type": JSONValue(r[3]), "entity_id": JSONValue(r[4]),
                "event_id": JSONValue(r[0]), "actor_type": JSONValue(r[5]), "actor_id": JSONValue(r[6]),
                "action_reason": JSONValue(r[7]), "correlation_id": JSONValue(r[8]),
                "before_state": state(r[9]), "after_state": state(r[10])]
    }

    /// The answer object with the platform's EvidenceMetadata, filled from the run's trace where there is one.
    private func answer(tenant: String, run: String, events: [JSONValue], total: Int, nextOffset: Int?, trace: TraceRow?,
                        computedAt: String) -> JSONValue {
        let events = JSONValue.array(events)
        func distinct(_ pick: (JSONValue) -> String?) -> JSONValue {
            guard case .array(let items) = events else { return [] }
            return .array(Set(items.compactMap(pick)).sorted().map(JSONValue.string))
        }
        let firstEvent: JSONValue? = if case .array(let items) = events { items.first?["timestamp"] } else { nil }
        let metadata: JSONValue = [
            "tenant_id": .string(tenant), "run_id": .string(run),
            "human_actor_id": nil, "agent_id": JSONValue(trace?.agentId), "system_id": nil,
            "occurred_at": trace?.startedAt.map { time($0) } ?? firstEvent ?? .string(computedAt),
            "recorded_at": .string(computedAt), "timezone": "UTC",
            "trace_id": JSONValue(trace?.traceId), "policy_ids": distinct { $0["policy_id"]?.string },
            "incident_ids": distinct { $0["entity_type"]?.string == "INCIDENT" ? $0["entity_id"]?.string : nil },
            "export_id": nil, "correlation_id": JSONValue(trace?.correlationId),
            "source_domain": "LOGS", "source_component": "AuditLedger", "origin": "SYSTEM",
            "checksum": .string(SHA256.hash(events.canonicalBytes).hex), "immutable": true,
        ]
        return ["run_id": .string(run), "events": events, "total_events": JSONValue(total),
                "next_offset": nextOffset.map { JSONValue($0) } ?? .null, "metadata": metadata]
    }
}
