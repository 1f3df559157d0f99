import ArgumentParser

/// The root `govmail` command: subcommands grouped by noun (STYLE.md, swift-argument-parser).
public struct GovMailCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "govmail",
        abstract: "GovMail: official mail server, staff directory and usage reports.",
        subcommands: [
            ConfigCommand.self,
            ServeCommand.self,
            CertCommand.self,
            DomainCommand.self,
            UnitCommand.self,
            AccountCommand.self,
            AliasCommand.self,
            DelegateCommand.self,
            AuditCommand.self,
            QueueCommand.self,
            SieveCommand.self,
            VacationCommand.self,
            ReportCommand.self,
        ]
    )
    public init() {}
}
