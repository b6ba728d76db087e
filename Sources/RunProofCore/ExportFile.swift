#if canImport(Glibc)
import Glibc
#endif

/// The NDJSON export of one trace: a header line, one step per line, then seal lines.
///
/// A step line is a step object, or `{"leaf": hex, "step_index": n}` for a redacted step.
/// A seal line is `{"seal": {...}, "signature": "..."}` (no signature when unsigned).
public enum ExportFile {
    /// One step line as read.
    package enum Step {
        /// A full step: its canonical bytes and its line of the legacy root, `index:skill_name:status` (nil when
        /// either is not a string), both valid only during the callback.
        case full(index: Int, canonical: UnsafeRawBufferPointer, legacyLine: UnsafeRawBufferPointer?)
        case redacted(index: Int, leaf: Digest)
        /// Leaf hashes recorded at seal time for steps `from ..< from + leaves.count` (docs/chain-v1.md 7).
        case leafRecord(from: Int, leaves: [Digest])
    }

    /// The most leaves one leaf-record line holds.
    package static let leafRecordBlock = 1024

    /// Verifies an export file in one streaming pass; `collectSteps` keeps the step objects for the report.
    /// `workers` threads make the lines ready (0: all on the calling thread); the verdict is the same either way.
    public static func verify(path: String, trust: TrustPolicy = TrustPolicy(), collectSteps: Bool = false,
                              workers: Int = ExportFile.workers, progress: Progress? = nil) throws -> RunReport {
        try verify(path: path) { reader in
            RunReport(runId: reader.header.runId,
                      traces: [try verifyChain(reader, trust: trust, collectSteps: collectSteps, workers: workers, progress: progress)])
        }
    }

    /// Opens the file, mapping what cannot be read as a trace to a verdict, and runs `body` on it.
    static func verify(path: String, _ body: (ExportReader) throws -> RunReport) throws -> RunReport {
        let reader: ExportReader
        do { reader = try ExportReader(path: path) } catch let error as RunProofError where error.code == .malformed {
            let kind: Verdict.FailureKind = error.message.hasPrefix("seal line") ? .seal
                : error.message.hasPrefix("more than one") ? .bundle : .notCanonical
            return RunReport(runId: "", traces: [], emptyVerdict: Verdict(kind: .failed, reason: "malformed export: \(error.message)", failureKind: kind))
        } catch let error as RunProofError where error.code == .notFound {
            return RunReport(runId: "", traces: [], emptyVerdict: Verdict(kind: .unsupported, reason: error.message))
        }
        return try body(reader)
    }

    /// Streams the steps of an open export through a `ChainVerifier`.
    static func verifyChain(_ reader: ExportReader, trust: TrustPolicy, collectSteps: Bool,
                            workers: Int = ExportFile.workers, progress: Progress? = nil) throws -> RunReport.Trace {
        let verifier = ChainVerifier(header: reader.header, seals: reader.sealStream(), trust: trust)
        var steps: [JSONValue] = []
        // The latest leaf-record lines (a bounded few): a row looks up the leaf recorded for its own index.
        var blocks: [(from: Int, leaves: [Digest])] = []
        func recorded(_ index: Int) -> Digest? {
            for block in blocks.reversed() where index >= block.from && index - block.from < block.leaves.count {
                return block.leaves[index - block.from]
            }
            return nil
        }
        do {
            try reader.forEachLine(workers: workers) { step, leaf in
                switch step {
                case let .full(index, canonical, legacyLine):
                    progress?.advance()
                    if collectSteps { steps.append(try JSONValue(parsing: Array(canonical))) }
                    guard let leaf else { return false }
                    return verifier.consume(index: index, canonicalStep: canonical, leaf: leaf, recorded: recorded(index),
                                            legacyLine: legacyLine)
                case let .redacted(index, leaf):
                    progress?.advance()
                    if collectSteps { steps.append(["leaf": .string(leaf.hex), "step_index": JSONValue(index)]) }
                    return verifier.consume(index: index, leaf: leaf, recorded: recorded(index))
                case let .leafRecord(from, leaves):
                    if let last = blocks.last, from < last.from + last.leaves.count {
                        verifier.rejectRecord("leaf records overlap or are out of order (from \(from))")
                        return false
                    }
                    blocks.append((from, leaves))
                    if blocks.count > 8 { blocks.removeFirst() }
                    return true
                }
            }
        } catch let error as ExportReader.StepError where error.isLeafRecord {
            verifier.rejectRecord(error.description)
        } catch let error as ExportReader.StepError {
            // The failing step is the line's position, not whatever index the unreadable line claims.
            verifier.reject(index: verifier.expectedIndex, reason: error.description)
        } catch let error as RunProofError where error.code == .malformed {
            verifier.reject(index: verifier.expectedIndex, reason: error.message) // e.g. a line over the length limit
        }
        return RunReport.Trace(header: reader.header, verdict: try verifier.finish(), steps: collectSteps ? steps : nil)
    }
}
