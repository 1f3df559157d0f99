/// A configuration problem that names the file, the line, the key path and what is allowed.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let keyPath: String
    public let message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file; self.line = line; self.keyPath = keyPath; self.message = message
    }

    public var description: String {
        var where_ = file
        if let line { where_ += ":\(line)" }
        return keyPath.isEmpty ? "\(where_): \(message)" : "\(where_): \(keyPath): \(message)"
    }
}
