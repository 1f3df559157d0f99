import ArgumentParser
import GovMailConfig

/// `govmail config check`: validate the configuration and print what is in effect.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with the configuration file.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration and print the effective settings (secrets redacted).")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reportingErrors {
                let config = try global.loadConfig()
                Console.out("# effective configuration (from \(global.configPath ?? "built-in defaults"))")
                Console.out(ConfigRenderer.yaml(config), terminator: "")
                Console.error("govmail: configuration is valid")
            }
        }
    }
}
