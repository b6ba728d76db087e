import ArgumentParser
import RunProofCore
import RunProofEvidence
import RunProofStore

/// `--limit` and `--offset` of the paged evidence and governance answers.
struct PageOptions: ParsableArguments {
    @Option(help: "Rows per list and page (1...10000).")
    var limit = EvidenceQueries.defaultLimit

    @Option(help: "Rows to skip (the next_offset of the previous page).")
    var offset = 0

    func validate() throws {
        guard (1 ... 10_000).contains(limit), offset >= 0 else { throw ValidationError("--limit must be 1...10000, --offset not negative") }
    }
}

extension RunProofCommand {
    /// `runproof evidence`: incidents, policy evaluations, limit breaches and decisions of one run, from the platform's tables.
    struct Evidence: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the evidence of a run: incidents caused, policies evaluated, limits hit, decisions made (newest first).")

        @OptionGroup var store: StoreOptions
        @OptionGroup var page: PageOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { _ = try store.scope() }

        func run() throws {
            let scope = try store.scope()
            let result = try EvidenceQueries(store: try store.open())
                .evidence(tenant: scope.tenant, run: scope.run, limit: page.limit, offset: page.offset)
            if output.json { return print(result.canonicalString) }
            print("evidence of run \(scope.run) (tenant \(scope.tenant)), computed \(result["computed_at"]?.string ?? "")")
            for (title, key, fields) in [("incidents caused", "incidents_caused", ["incident_id", "severity", "title", "created_at"]),
                                         ("policies evaluated", "policies_evaluated", ["policy_id", "policy_name", "outcome", "evaluated_at"]),
                                         ("limits hit", "limits_hit", ["limit_id", "limit_name", "breached_value", "threshold_value", "breached_at"]),
                                         ("decisions made", "decisions_made", ["decision_id", "decision_type", "outcome", "decided_at"])] {
                guard case .array(let rows)? = result[key] else { continue }
                print("  \(title): \(rows.count)")
                for row in rows { print("    " + fields.map { row[$0].map(plainText) ?? "-" }.joined(separator: "  ")) }
            }
            if let next = result["next_offset"]?.int { print("  more: --offset \(next)") }
        }
    }
}

/// A JSON value as plain text for the human output.
func plainText(_ value: JSONValue) -> String {
    switch value {
    case .string(let s): s
    case .null: "-"
    default: value.canonicalString
    }
}
