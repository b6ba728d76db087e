import ArgumentParser
import RunProofCore
import RunProofEvidence
import RunProofStore

extension RunProofCommand {
    /// `runproof governance`: the audit-ledger events that carry a run's id.
    struct Governance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the run-scoped audit-ledger events of a run, newest first.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var page: PageOptions
        @OptionGroup var output: OutputOptions

        @Flag(help: "Every entity type, not only POLICY_RULE, LIMIT, POLICY_PROPOSAL and INCIDENT.")
        var allEntityTypes = false

        func validate() throws { _ = try store.scope() }

        func run() throws {
            let scope = try store.scope()
            let result = try EvidenceQueries(store: try store.open()).governance(
                tenant: scope.tenant, run: scope.run, limit: page.limit, offset: page.offset, allEntityTypes: allEntityTypes)
            if output.json { return print(result.canonicalString) }
            guard case .array(let events)? = result["events"] else { return }
            print("""
                governance events of run \(scope.run) (tenant \(scope.tenant); source LOGS/AuditLedger, immutable): \
                \(events.count) of \(result["total_events"]?.int ?? 0)
                """)
            for e in events {
                print("  " + ["timestamp", "event_type", "entity_type", "entity_id", "actor_type"].map { e[$0].map(plainText) ?? "-" }
                    .joined(separator: "  "))
            }
            if let next = result["next_offset"]?.int { print("  more: --offset \(next)") }
        }
    }
}
