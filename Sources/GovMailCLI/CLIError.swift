import ArgumentParser
import Foundation

/// Errors a command reports to the user: a message that says what to do, and a distinct exit code.
public enum CLIError: Error, CustomStringConvertible {
    /// The command line was wrong (EX_USAGE, 64).
    case usage(String)
    /// The input (a file, a value) was wrong (EX_DATAERR, 65).
    case badInput(String)
    /// Something failed that the input did not cause (1).
    case failure(String)

    public var description: String {
        switch self {
        case .usage(let m), .badInput(let m), .failure(let m): return m
        }
    }

    public var exitCode: ExitCode {
        switch self {
        case .usage: return ExitCode(64)
        case .badInput: return ExitCode(65)
        case .failure: return ExitCode(1)
        }
    }
}

/// Writes to standard error without Swift 6's shared-global restrictions on `stderr`.
public enum Console {
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
    public static func out(_ text: String, terminator: String = "\n") {
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }
}

extension ParsableCommand {
    /// Runs `body`, turning a CLIError into its message on stderr and its exit code.
    public func reportingErrors(_ body: () throws -> Void) throws {
        do { try body() } catch let e as CLIError {
            Console.error("govmail: \(e.description)")
            throw e.exitCode
        }
    }
}
