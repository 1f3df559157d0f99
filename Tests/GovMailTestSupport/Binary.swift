import Foundation

/// Runs a built executable of this package (e.g. `govmail`) and captures what it printed.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Binary {
    /// The folder holding the built products: the test bundle's own folder.
    public static var productsDirectory: String {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().path
        for candidate in [bundle, Bundle.main.bundlePath, CommandLine.arguments[0]] {
            var dir = URL(fileURLWithPath: candidate)
            for _ in 0..<3 {
                if FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("govmail").path) {
                    return dir.path
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return bundle
    }

    /// Runs `govmail args…`.
    public static func run(
        _ args: [String], stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        try run("govmail", args, stdin: stdin, environment: environment)
    }

    /// Runs `name args…` with optional standard input and environment additions.
    public static func run(
        _ name: String, _ args: [String], stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        try run(path: "\(productsDirectory)/\(name)", args, stdin: stdin, environment: environment)
    }

    /// Runs the program at `path` (e.g. `/usr/bin/env` to find a system tool on PATH).
    public static func run(
        path: String, _ args: [String], stdin: String? = nil,
        environment: [String: String] = [:]
    ) throws -> CommandResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up and blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return CommandResult(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
