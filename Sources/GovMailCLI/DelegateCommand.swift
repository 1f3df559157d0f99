import AccountStore
import ArgumentParser
import MailCore

/// `govmail delegate add|list|remove`: members of a shared (unit) mailbox and their rights (issue 17).
/// Changes count for the next message a running server handles (rights are read per transaction).
struct DelegateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delegate", abstract: "Give staff rights on shared (unit) mailboxes.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Grant a member rights on a shared mailbox (replaces the member's earlier rights).",
            discussion: """
                Rights: read, write (IMAP access, coming), send-as (MAIL FROM and From: the shared address),
                send-on-behalf (From: the shared address with Sender: the member).
                Example: govmail delegate add vanthu.snv@snv.gov.vn an@snv.gov.vn --rights read,write,send-on-behalf
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The shared mailbox (an account of kind shared).") var shared: String
        @Argument(help: "The member's account.") var member: String
        @Option(help: "Comma-separated: read, write, send-as, send-on-behalf.") var rights: String

        func run() throws {
            try reportingDirectoryErrors {
                let parsed: Set<DelegationRight>
                do { parsed = try DelegationRight.parseList(rights) } catch { throw CLIError.badInput("\(error)") }
                let d = try DirectoryContext(global).store.grantDelegation(
                    shared: try Parse.address(shared), member: try Parse.address(member), rights: parsed)
                Console.out("\(d.member) may now \(DelegateCommand.rightsText(d.rights)) on \(d.shared)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List members of shared mailboxes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this shared mailbox.") var shared: String?

        func run() throws {
            try reportingDirectoryErrors {
                let list = try DirectoryContext(global).store.delegations(shared: try shared.map(Parse.address))
                TableOutput.print(
                    ["SHARED", "MEMBER", "RIGHTS"],
                    list.map { [$0.shared.description, $0.member.description, DelegateCommand.rightsText($0.rights)] },
                    empty: "no delegations; add one with: govmail delegate add SHARED MEMBER --rights read,send-as")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take every right of a member on a shared mailbox.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The shared mailbox.") var shared: String
        @Argument(help: "The member's account.") var member: String

        func run() throws {
            try reportingDirectoryErrors {
                let s = try Parse.address(shared), m = try Parse.address(member)
                guard try DirectoryContext(global).store.removeDelegation(shared: s, member: m) else {
                    throw CLIError.badInput("\(m) is not a member of \(s); see: govmail delegate list \(s)")
                }
                Console.out("removed \(m) from \(s)")
            }
        }
    }

    static func rightsText(_ rights: Set<DelegationRight>) -> String {
        rights.sorted().map(\.rawValue).joined(separator: ",")
    }
}
