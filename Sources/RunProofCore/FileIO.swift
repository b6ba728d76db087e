#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor, closed with its owner.
final class FileHandle {
    let fd: Int32
    let path: String

    init(reading path: String) throws(RunProofError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        self.path = path
        guard fd >= 0 else { throw RunProofError.system(.noInput, "cannot open \(path)") }
    }

    /// Takes ownership of an open descriptor.
    init(descriptor: Int32, path: String) {
        fd = descriptor
        self.path = path
    }

    deinit { close(fd) }

    var size: Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Reads up to `count` bytes at `offset`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(RunProofError) -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw RunProofError.system(.io, "cannot read \(path)") }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(RunProofError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw RunProofError.system(.io, "cannot write \(path)")
            }
            done += n
        }
    }

    func sync() throws(RunProofError) {
        guard fsync(fd) == 0 else { throw RunProofError.system(.io, "cannot sync \(path)") }
    }
}

/// Streams the lines of a byte range of a file through one reused buffer.
final class LineReader {
    /// The longest line accepted; a longer one is an error, not a memory blow-up.
    static let maxLine = 16 << 20
    private let file: FileHandle
    private var buffer: [UInt8]
    private var start = 0, end = 0
    private var offset: Int
    private let limit: Int
    /// 1-based number of the last line returned.
    private(set) var lineNumber: Int

    init(_ file: FileHandle, from offset: Int, to limit: Int, firstLine: Int) {
        self.file = file
        self.offset = offset
        self.limit = limit
        lineNumber = firstLine - 1
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    /// Calls `body` with the next line (without its newline); nil at the end of the range.
    func next<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        while true {
            let newline: Int? = buffer.withUnsafeBytes { b in
                memchr(b.baseAddress! + start, 0x0A, end - start).map { $0 - UnsafeMutableRawPointer(mutating: b.baseAddress!) }
            }
            if let newline {
                let line = start ..< newline
                start = newline + 1
                lineNumber += 1
                return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[line])) }
            }
            if offset >= limit {
                guard start < end else { return nil }
                let line = start ..< end
                start = end
                lineNumber += 1
                return try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[line])) }
            }
            try refill()
        }
    }

    private func refill() throws {
        if start > 0 {
            buffer.withUnsafeMutableBytes { b in
                b.baseAddress!.copyMemory(from: b.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count {
            guard buffer.count < LineReader.maxLine else {
                throw RunProofError(.malformed, "line \(lineNumber + 1) of \(file.path) is longer than \(LineReader.maxLine) bytes")
            }
            buffer.append(contentsOf: repeatElement(0, count: buffer.count))
        }
        let want = min(buffer.count - end, limit - offset)
        let range = end ..< end + want
        let n = try buffer.withUnsafeMutableBytes { b in
            try file.read(into: UnsafeMutableRawBufferPointer(rebasing: b[range]), at: offset)
        }
        guard n > 0 else { throw RunProofError(.io, "\(file.path) shrank while being read") }
        end += n
        offset += n
    }
}

/// Reads the lines of a file range from its end backward, through a window of its own (the trailing records of an export).
final class BackwardLineReader {
    private let file: FileHandle
    private let floor: Int
    /// The bytes `windowStart ..< windowStart + window.count` of the file.
    private var window: [UInt8] = []
    private var windowStart: Int
    /// Where the line to return next ends (before its newline).
    private(set) var end: Int

    init(_ file: FileHandle, floor: Int, end: Int) throws {
        self.file = file
        self.floor = floor
        var last: UInt8 = 0
        if end > floor { _ = try withUnsafeMutableBytes(of: &last) { try file.read(into: $0, at: end - 1) } }
        self.end = last == 0x0A ? end - 1 : end // a final newline ends the last line, it starts none
        windowStart = self.end
    }

    /// The line before the last one returned (a final newline ends no line), with its start; nil at the floor or
    /// at a line longer than `LineReader.maxLine` (too long for a trailing record).
    func previous() throws -> (start: Int, line: ArraySlice<UInt8>)? {
        guard end > floor else { return nil }
        while true {
            let local = end - windowStart
            if let newline = window[..<local].lastIndex(of: 0x0A) {
                let start = windowStart + newline + 1
                defer { end = start - 1 }
                return (start, window[(newline + 1) ..< local])
            }
            if windowStart == floor {
                defer { end = floor }
                return (floor, window[..<local])
            }
            if local >= LineReader.maxLine { return nil }
            let grow = min(windowStart - floor, max(1 << 16, local))
            var more = [UInt8](repeating: 0, count: grow)
            let n = try more.withUnsafeMutableBytes { try file.read(into: $0, at: windowStart - grow) }
            guard n == grow else { throw RunProofError(.io, "\(file.path) shrank while being read") }
            more.append(contentsOf: window[..<local])
            window = more
            windowStart -= grow
        }
    }
}

/// Buffered appending writer.
final class BufferedWriter {
    private let file: FileHandle
    private var buffer: [UInt8] = []

    init(_ file: FileHandle) {
        self.file = file
        buffer.reserveCapacity(1 << 20)
    }

    func write(line: [UInt8]) throws {
        buffer.append(contentsOf: line)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try file.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
