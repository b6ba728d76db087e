#if canImport(Glibc)
import Glibc
#endif

/// How an output file may treat what is already at its path.
public struct OutputPolicy: Sendable {
    /// Replace an existing file (whole, atomically) instead of refusing.
    public var force: Bool
    /// Files being read: the output may never be one of them, even with `force`.
    public var inputs: [String]

    public init(force: Bool = false, inputs: [String] = []) {
        self.force = force
        self.inputs = inputs
    }
}

/// A file written whole or not at all: into a temporary file beside it, synced, then renamed over the path.
///
/// Until `commit()` the path is untouched; a failure, or an owner that goes away without committing, removes
/// the temporary file. An existing path is refused unless the policy says `force`, and a path that is one of
/// the inputs (same device and inode) is always refused.
final class OutputFile {
    let path: String
    let temporary: String
    let handle: FileHandle
    private var committed = false

    init(path: String, policy: OutputPolicy) throws(RunProofError) {
        var target = stat()
        if stat(path, &target) == 0 {
            for input in policy.inputs {
                var source = stat()
                if stat(input, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                    throw RunProofError(.usage, "\(path) is \(input), which is being read: choose another output file")
                }
            }
            guard policy.force else {
                throw RunProofError(.usage, "\(path) already exists: not overwriting it (--force replaces it whole)")
            }
            guard (target.st_mode & S_IFMT) == S_IFREG else {
                throw RunProofError(.usage, "\(path) is not a regular file: not replacing it")
            }
        }
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporary = "\(directory).\(name).runproof-\(getpid())-\(UInt32.random(in: 0 ... .max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunProofError.system(.noInput, "cannot create a file beside \(path)")
        }
        handle = FileHandle(descriptor: fd, path: temporary)
    }

    /// Syncs the file, renames it over the path and syncs the directory: from here on the path holds it whole.
    func commit() throws(RunProofError) {
        try handle.sync()
        guard rename(temporary, path) == 0 else {
            throw RunProofError.system(.io, "cannot put \(path) in place")
        }
        committed = true
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "."
        let dir = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    deinit { if !committed { unlink(temporary) } }
}

/// Writes bytes to a new file (or, with `force`, replaces one) atomically.
package func writeFile(_ bytes: [UInt8], to path: String, policy: OutputPolicy) throws {
    let file = try OutputFile(path: path, policy: policy)
    try bytes.withUnsafeBytes { try file.handle.write($0) }
    try file.commit()
}
