import AccountStore
import MailCore
import MaildirStore
import SieveProtocol

/// Carries out ManageSieve requests on the account's `SieveScriptStore`. Blocking (file writes
/// with fsync): run on the storage pool.
struct ManageSieveBackend: Sendable {
    let layout: MaildirLayout
    let limits: SieveLimits

    func perform(_ request: ManageSieveRequest, account: String) -> ManageSieveResult {
        guard let address = try? EmailAddress(account), let root = try? layout.accountRoot(address) else {
            return .refused(code: "TRYLATER", message: "The account's folder cannot be found")
        }
        let store = SieveScriptStore(accountRoot: root)
        do {
            switch request {
            case .list:
                return .list(store.list().map { .init(name: $0.name, active: $0.isActive) })
            case .get(let name):
                return .script(try store.get(name))
            case .put(let name, let source):
                try store.put(name, source: source, limits: limits)
            case .setActive(let name):
                try store.activate(name)
            case .delete(let name):
                try store.delete(name)
            case .rename(let old, let new):
                try store.rename(old, to: new)
            case .haveSpace(let name, _):
                guard SieveScriptStore.isValidName(name) else { throw SieveScriptStore.Problem.invalidName(name) }
                if !store.exists(name) && store.list().count >= SieveScriptStore.maxScripts {
                    throw SieveScriptStore.Problem.tooManyScripts(limit: SieveScriptStore.maxScripts)
                }
            }
            return .done
        } catch let p as SieveScriptStore.Problem {
            return .refused(code: Self.code(p), message: p.description)
        } catch {
            return .refused(code: "TRYLATER", message: "The script store failed; try again later")
        }
    }

    /// RFC 5804 §1.3 response codes.
    static func code(_ p: SieveScriptStore.Problem) -> String? {
        switch p {
        case .noSuchScript: "NONEXISTENT"
        case .alreadyExists: "ALREADYEXISTS"
        case .activeScriptCannotBeDeleted: "ACTIVE"
        case .tooLarge: "QUOTA/MAXSIZE"
        case .tooManyScripts: "QUOTA/MAXSCRIPTS"
        case .io: "TRYLATER"
        case .invalidName: nil
        }
    }
}
