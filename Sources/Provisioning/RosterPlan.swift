import AccountStore
import MailCore

/// What a roster import would change, computed without touching anything.
public struct RosterPlan: Sendable {
    public struct Create: Sendable {
        public let row: Int
        public let address: EmailAddress
        public let fullName: String
        public let unit: OrgUnit
        public let kind: AccountKind
    }
    public struct Update: Sendable {
        public let row: Int
        public let account: Account
        public let fullName: String?
        public let unit: OrgUnit?
        public let kind: AccountKind?
        /// Human summary, e.g. `unit SO-NV → UBND-HUYEN-A`.
        public let changes: [String]
    }
    /// A note that changes nothing but the administrator should know (e.g. a listed account is disabled).
    public struct Note: Sendable {
        public let row: Int
        public let message: String
    }

    public var creates: [Create] = []
    public var updates: [Update] = []
    public var disables: [Account] = []
    public var unchanged = 0
    public var notes: [Note] = []

    public var isEmpty: Bool { creates.isEmpty && updates.isEmpty && disables.isEmpty }

    /// The directory changes this plan stands for (password hashes are added by the importer).
    func changes(hashes: [Secret?], quota: Int64) -> [AccountChange] {
        var out: [AccountChange] = []
        for (i, c) in creates.enumerated() {
            out.append(
                .create(
                    NewAccount(
                        address: c.address, displayName: c.fullName, unitID: c.unit.id, kind: c.kind,
                        quota: quota, passwordHash: i < hashes.count ? hashes[i] : nil)))
        }
        for u in updates {
            out.append(.update(accountID: u.account.id, displayName: u.fullName, unitID: u.unit?.id, kind: u.kind))
        }
        for d in disables { out.append(.setEnabled(accountID: d.id, false)) }
        return out
    }
}

/// Checks roster rows against the directory and computes the plan; reports every bad row at once.
public struct RosterPlanner: Sendable {
    public let disableMissing: Bool
    /// With a unit code, the roster is that unit's: every row must name it or one of its sub-units, and
    /// only accounts of that subtree may be disabled as missing.
    public let scopeUnitCode: String?
    /// True when a deleted account's Maildir is still on disk (its address cannot be reused yet).
    public let maildirExists: @Sendable (EmailAddress) -> Bool

    public init(
        disableMissing: Bool, scopeUnitCode: String? = nil,
        maildirExists: @escaping @Sendable (EmailAddress) -> Bool
    ) {
        self.disableMissing = disableMissing
        self.scopeUnitCode = scopeUnitCode
        self.maildirExists = maildirExists
    }

    /// Ids of the unit `code` and all units below it now; throws when it is unknown or ended.
    static func subtree(_ code: String, in units: [OrgUnit]) throws -> (OrgUnit, Set<Int64>) {
        guard let root = units.first(where: { $0.code.lowercased() == code.lowercased() }) else {
            throw DirectoryError.unknownUnit(code)
        }
        guard root.status == .active else {
            throw DirectoryError.invalid(
                "the unit \(root.code) is \(root.status.rawValue); give an active unit with --unit")
        }
        var inside: Set<Int64> = [root.id]
        var grew = true
        while grew {
            grew = false
            for u in units where !inside.contains(u.id) {
                if let p = u.parentID, inside.contains(p) { inside.insert(u.id); grew = true }
            }
        }
        return (root, inside)
    }

    static let maxNameLength = 200

    public func plan(_ rows: [RosterRow], store: AccountStore) throws -> RosterPlan {
        let domains = Set(try store.domains().map(\.name))
        let units = Dictionary(try store.units().map { ($0.code.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        let unitsByID = Dictionary(units.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let all = try store.accounts(includeDeleted: true)
        var live: [String: Account] = [:]
        var deleted: [String: Account] = [:]
        for a in all {
            if a.status == .deleted { deleted[a.address.key] = a } else { live[a.address.key] = a }
        }
        let aliases = Set(try store.aliases().map(\.address.key))
        let scope = try scopeUnitCode.map { try Self.subtree($0, in: Array(units.values)) }

        var plan = RosterPlan()
        var errors: [RosterError] = []
        var seen: [String: Int] = [:]
        for r in rows {
            func bad(_ m: String) { errors.append(RosterError(row: r.row, message: m)) }
            let address: EmailAddress
            do { address = try EmailAddress(r.email) } catch {
                bad(
                    r.email.isEmpty ? "the email is empty" : "the email \"\(r.email)\" is not a valid address: \(error)"
                )
                continue
            }
            if let first = seen[address.key] {
                bad("duplicate: \(address) is already on row \(first); keep one of the two rows")
                continue
            }
            seen[address.key] = r.row
            var rowOK = true
            if !domains.contains(address.domain) {
                bad(
                    "the domain \(address.domain) is not served here; add it with: govmail domain add \(address.domain)"
                )
                rowOK = false
            }
            if address.localPart.hasPrefix(".") || address.localPart.contains("/") {
                bad("the address \(address) cannot name a mail folder; choose another"); rowOK = false
            }
            if aliases.contains(address.key) {
                bad(
                    "\(address) is an alias, not an account; remove the alias (govmail alias remove \(address)) or the row"
                )
                rowOK = false
            }
            let name = r.fullName
            if name.isEmpty { bad("the full name is empty"); rowOK = false }
            if name.count > Self.maxNameLength {
                bad("the full name is longer than \(Self.maxNameLength) characters"); rowOK = false
            }
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                bad("the full name contains a control character"); rowOK = false
            }
            let unit = units[r.unitCode.lowercased()]
            if unit == nil {
                bad(
                    r.unitCode.isEmpty
                        ? "the unit code is empty"
                        : "unknown unit \"\(r.unitCode)\"; add it with: govmail unit add \(r.unitCode) --name \"…\" --level …"
                )
                rowOK = false
            }
            var kind = AccountKind.staff
            if !r.kind.isEmpty {
                if let k = AccountKind(rawValue: r.kind.lowercased()) {
                    kind = k
                } else {
                    bad("unknown kind \"\(r.kind)\"; use staff, shared or service"); rowOK = false
                }
            }
            if let unit, unit.status != .active {
                bad(
                    "the unit \(unit.code) is \(unit.status.rawValue) and takes no accounts; use the unit that replaced it (govmail unit history \(unit.code))"
                )
                rowOK = false
            }
            if let unit, let (root, inside) = scope, !inside.contains(unit.id) {
                bad(
                    "the unit \(unit.code) is outside --unit \(root.code); a unit's roster may only name \(root.code) and its sub-units"
                )
                rowOK = false
            }
            guard rowOK, let unit else { continue }

            if let existing = live[address.key] {
                var changes: [String] = []
                let newName = existing.displayName != name ? name : nil
                if newName != nil { changes.append("name") }
                let newUnit = existing.unitID != unit.id ? unit : nil
                if newUnit != nil { changes.append("unit \(unitsByID[existing.unitID]?.code ?? "?") → \(unit.code)") }
                let newKind = existing.kind != kind ? kind : nil
                if let newKind { changes.append("kind \(existing.kind.rawValue) → \(newKind.rawValue)") }
                if changes.isEmpty {
                    plan.unchanged += 1
                } else {
                    plan.updates.append(
                        .init(
                            row: r.row, account: existing, fullName: newName, unit: newUnit, kind: newKind,
                            changes: changes))
                }
                if existing.status == .disabled {
                    plan.notes.append(
                        .init(
                            row: r.row,
                            message: "\(address) is disabled; enable it with: govmail account enable \(address)"))
                }
            } else {
                if deleted[address.key] != nil && maildirExists(address) {
                    bad(
                        "\(address) belonged to a deleted account whose mail is still kept; to reuse the address, remove the old mail first with: govmail account delete \(address) --purge"
                    )
                    continue
                }
                plan.creates.append(.init(row: r.row, address: address, fullName: name, unit: unit, kind: kind))
            }
        }
        if !errors.isEmpty { throw RosterErrors(errors: errors) }
        if disableMissing {
            let inside = scope?.1
            plan.disables = all.filter { a in
                a.kind == .staff && a.status == .enabled && seen[a.address.key] == nil
                    && (inside?.contains(a.unitID) ?? true)
            }
        }
        return plan
    }
}
