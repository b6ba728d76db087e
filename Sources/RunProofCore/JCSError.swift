/// Why a JSON text cannot be canonicalized (RFC 8785), and where.
public struct JCSError: Error, CustomStringConvertible, Sendable, Equatable {
    public var reason: String
    /// The location inside the value, e.g. `params.items[3]`; empty for the top level.
    public var path: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    init(_ reason: String, path: String = "", offset: Int) {
        self.reason = reason
        self.path = path
        self.offset = offset
    }

    /// Adds an enclosing object key or array index in front of the path.
    func inside(key: String) -> JCSError {
        var copy = self
        copy.path = path.isEmpty || path.hasPrefix("[") ? key + path : key + "." + path
        return copy
    }

    func inside(index: Int) -> JCSError {
        var copy = self
        copy.path = "[\(index)]" + (path.isEmpty || path.hasPrefix("[") ? path : "." + path)
        return copy
    }

    public var description: String {
        path.isEmpty ? "\(reason) at byte \(offset)" : "\(reason) at \(path) (byte \(offset))"
    }
}
