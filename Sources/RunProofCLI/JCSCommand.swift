import ArgumentParser
import RunProofCore
#if canImport(Glibc)
import Glibc
#endif

extension RunProofCommand {
    /// `runproof jcs`: canonicalizes JSON texts as RunProof hashes them (RFC 8785 plus the rules of docs/chain-v1.md 2.2).
    struct JCSCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jcs",
            abstract: "Canonicalize JSON (RFC 8785, with RunProof's rules): one text per input line, one output line each.",
            discussion: "A text that cannot be canonicalized prints `!` and the reason. Used by Scripts/jcs-differential.")

        func run() throws {
            var pending: [UInt8] = [], out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            func emit(_ line: ArraySlice<UInt8>) {
                do { out += try JCS.canonicalize(Array(line)) } catch { out += Array("!\(error)".utf8) }
                out.append(0x0A)
            }
            while case let n = read(0, &chunk, chunk.count), n > 0 {
                pending += chunk[..<n]
                var start = pending.startIndex
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    emit(pending[start ..< newline])
                    start = newline + 1
                }
                pending.removeSubrange(..<start)
                flush(&out)
            }
            if !pending.isEmpty { emit(pending[...]) }
            flush(&out)
        }

        private func flush(_ out: inout [UInt8]) {
            var offset = 0
            while offset < out.count {
                let n = out[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                offset += n
            }
            out.removeAll(keepingCapacity: true)
        }
    }
}
