import MailCore

/// What went wrong in the directory, phrased so an administrator knows what to do next.
public enum DirectoryError: Error, Equatable, CustomStringConvertible {
    case newerSchema(unknownMigrations: [String])
    case unknownDomain(String)
    case domainExists(String)
    case domainInUse(String, accounts: Int)
    case unknownUnit(String)
    case unitExists(String)
    case unitHasChildren(String)
    case unitInUse(String)
    case unitCycle(String, parent: String)
    case unknownAccount(String)
    case addressTaken(String)
    case addressIsAlias(String)
    case aliasShadowsAccount(String)
    case unknownAlias(String)
    case accountDeleted(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .newerSchema(let ids):
            return
                "the database was written by a newer GovMail (unknown migrations: \(ids.joined(separator: ", "))); run the newer govmail, or restore a backup made by this version"
        case .unknownDomain(let d):
            return "the domain \(d) is not served here; add it first with: govmail domain add \(d)"
        case .domainExists(let d): return "the domain \(d) already exists; see: govmail domain list"
        case .domainInUse(let d, let n):
            return
                "the domain \(d) still has \(n) account(s); delete or move them first (govmail account list --domain \(d))"
        case .unknownUnit(let c):
            return
                "there is no unit with code \(c); see: govmail unit list, or add it with: govmail unit add \(c) --name …"
        case .unitExists(let c): return "a unit with code \(c) already exists; see: govmail unit list"
        case .unitHasChildren(let c):
            return "the unit \(c) still has sub-units; move or remove them first (govmail unit list)"
        case .unitInUse(let c):
            return
                "the unit \(c) has accounts now or in its history, or other units' history names it, and past reports need it, so it cannot be removed; to end it, run: govmail unit retire \(c) (once its accounts and sub-units are moved), or: govmail unit merge \(c) --into CODE (moves them for you)"
        case .unitCycle(let c, let p): return "cannot put unit \(c) under \(p): \(p) is \(c) or one of its sub-units"
        case .unknownAccount(let a): return "there is no account \(a); see: govmail account list"
        case .addressTaken(let a): return "the address \(a) is already an account; see: govmail account show \(a)"
        case .addressIsAlias(let a):
            return "the address \(a) is an alias; remove it first with: govmail alias remove \(a)"
        case .aliasShadowsAccount(let a): return "the address \(a) is an account, so it cannot also be an alias"
        case .unknownAlias(let a): return "there is no alias \(a); see: govmail alias list"
        case .accountDeleted(let a): return "the account \(a) is deleted; its history is kept for reports"
        case .invalid(let why): return why
        }
    }
}
