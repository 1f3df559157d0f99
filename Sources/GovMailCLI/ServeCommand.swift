import ArgumentParser
import Dispatch
import Foundation
import GovMailConfig
import GovMailServer
import Logging

/// `govmail serve`: run the server until SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the mail server on the configured listeners until SIGTERM.",
        discussion:
            "SIGTERM stops accepting, lets sessions finish within the grace period, then exits 0. SIGHUP reloads the TLS certificate and key."
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "After binding, write the bound ports as JSON ({\"listener\": port}) to this file.", valueName: "file"))
    var portsFile: String?

    @Option(name: .long, help: ArgumentHelp("Seconds open sessions get to finish after SIGTERM.", valueName: "seconds"))
    var gracePeriod: Double = 30

    @Flag(
        name: .long,
        help:
            "Serve as root when server.user is not set (tests and confined containers only; production sets server.user)."
    )
    var allowRoot = false

    func validate() throws {
        guard gracePeriod >= 0 && gracePeriod <= 3600 else {
            throw ValidationError("--grace-period must be between 0 and 3600 seconds")
        }
    }

    func run() throws {
        try reportingErrors {
            let config = try global.loadConfig()
            let logger = ServeLogging.bootstrap(level: global.verbose ? .debug : Logger.Level(config.logLevel))
            let runtime: ServerRuntime
            do {
                runtime = try ServerRuntime(
                    config: config, gracePeriod: gracePeriod, allowRoot: allowRoot, logger: logger)
                _ = try runtime.start(portsFile: portsFile, onExit: { code in Foundation.exit(code) })
            } catch let e as ServerStartupError {
                throw CLIError.failure("cannot start: \(e.description)")
            }
            dispatchMain()
        }
    }
}

/// Logging for `serve`: swift-log to standard error, bootstrapped once per process.
enum ServeLogging {
    static func bootstrap(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        var logger = Logger(label: "govmail")
        logger.logLevel = level
        return logger
    }
}

extension Logger.Level {
    init(_ level: Config.LogLevel) {
        switch level {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}
