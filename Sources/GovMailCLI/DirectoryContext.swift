import AccountStore
import ArgumentParser
import Credentials
import Foundation
import GovMailConfig
import MailCore
import MaildirStore
import Provisioning

/// What the directory commands work with: the configuration, the open database and the provisioner.
struct DirectoryContext {
    let config: Config
    let store: AccountStore
    let provisioner: Provisioner

    init(_ global: GlobalOptions) throws {
        config = try global.loadConfig()
        do { store = try AccountStore.open(stateDir: config.stateDir) } catch let e as DirectoryError {
            throw CLIError.failure(e.description)
        } catch {
            throw CLIError.failure(
                "cannot open the directory database \(AccountStore.databasePath(stateDir: config.stateDir)): \(error); check --state-dir and its permissions"
            )
        }
        let p = config.passwords
        provisioner = Provisioner(
            store: store, layout: MaildirLayout(stateDir: config.stateDir),
            hasher: PasswordHasher.configured(logN: p.scryptLogN, r: p.scryptR, p: p.scryptP),
            policy: PasswordPolicy(minLength: p.minLength),
            defaultQuota: Int64(config.accounts.defaultQuota))
    }
}

/// Parses user-typed values into typed ones, turning problems into bad-input errors that say what to type.
enum Parse {
    static func address(_ s: String) throws -> EmailAddress {
        do { return try EmailAddress(s) } catch {
            throw CLIError.badInput("\"\(s)\" is not a valid address: \(error)")
        }
    }

    static func domain(_ s: String) throws -> Domain {
        do { return try Domain(s) } catch { throw CLIError.badInput("\"\(s)\" is not a valid domain: \(error)") }
    }

    /// `0`/`unlimited`, bytes, or a number with K, M, G, T (binary multiples).
    static func quota(_ s: String) throws -> Int64 {
        let t = s.trimmingASCIIWhitespace().uppercased()
        if t == "UNLIMITED" { return 0 }
        let multipliers: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(t)
        var mult: Int64 = 1
        if digits.hasSuffix("IB") {
            digits = digits.dropLast(2)
        } else if digits.hasSuffix("B") {
            digits = digits.dropLast()
        }
        if let last = digits.last, let m = multipliers[last] { mult = m; digits = digits.dropLast() }
        guard let n = Int64(digits.trimmingCharacters(in: .whitespaces)), n >= 0, n <= Int64.max / mult else {
            throw CLIError.badInput("\"\(s)\" is not a quota; write e.g. 2G, 500M, 1073741824 or unlimited")
        }
        return n * mult
    }
}

extension ParsableCommand {
    /// Like `reportingErrors`, but first turns directory, policy and roster errors into `CLIError`s.
    func reportingDirectoryErrors(_ body: () throws -> Void) throws {
        try reportingErrors {
            do { try body() } catch let e as CLIError { throw e } catch let e as DirectoryError {
                if case .newerSchema = e { throw CLIError.failure(e.description) }
                throw CLIError.badInput(e.description)
            } catch let e as PasswordPolicy.Violation {
                throw CLIError.badInput(e.description)
            } catch let e as Provisioner.Problem {
                if case .oldMailKept = e { throw CLIError.badInput(e.description) }
                throw CLIError.failure(e.description)
            } catch let e as PasswordsFile.Problem {
                throw CLIError.failure(e.description)
            } catch let e as MaildirLayout.Problem {
                throw CLIError.badInput(e.description)
            } catch let e as RosterErrors {
                for line in e.errors { Console.error(line.description) }
                throw CLIError.badInput(
                    "the roster has \(e.errors.count) bad row(s); nothing was imported. Fix them and run again (add --dry-run to check without importing)"
                )
            } catch let e as RosterError {
                Console.error(e.description)
                throw CLIError.badInput("the roster cannot be read; nothing was imported. Fix it and run again")
            }
        }
    }
}
