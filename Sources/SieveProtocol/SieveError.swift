/// A place in a script: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// Why a script cannot be compiled, with where: the text ManageSieve CHECKSCRIPT and the CLI show.
public struct SieveCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let position: SourcePosition
    public let message: String
    public init(_ position: SourcePosition, _ message: String) { self.position = position; self.message = message }
    public var description: String { "line \(position.line), column \(position.column): \(message)" }
}

/// A failure while running a valid script (a limit hit, two vacation actions): the caller falls
/// back to the implicit keep (RFC 5228 §2.10.6) and logs `description`.
public struct SieveRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
