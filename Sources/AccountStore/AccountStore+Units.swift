import GRDB
import MailCore

/// Units and their effective-dated history. Every change is a `unit_history` row effective from a
/// given instant (now by default, or an earlier date for a reorganisation applied late); the `unit`
/// table holds the state that results today. Reports replay the history, so a closed month keeps the
/// structure it had.
extension AccountStore {
    static let unitSelect = """
        SELECT u.id, u.code, u.name, u.level, u.parent_id, p.code AS parent_code, u.created_at, u.status
        FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
        """

    static func unit(_ row: Row) throws -> OrgUnit {
        guard let level = UnitLevel(rawValue: row["level"]), let status = UnitStatus(rawValue: row["status"]) else {
            throw DirectoryError.invalid("unknown unit level or status in database")
        }
        return OrgUnit(
            id: row["id"], code: row["code"], name: row["name"], level: level, parentID: row["parent_id"],
            parentCode: row["parent_code"], createdAt: row["created_at"], status: status)
    }

    /// Adds a unit, existing from `effective` (default now); `parentCode` must name an active unit.
    @discardableResult
    public func addUnit(
        code: String, name: String, level: UnitLevel, parentCode: String? = nil, effective: Int64? = nil
    ) throws -> OrgUnit {
        let code = code.trimmingASCIIWhitespace(), name = name.trimmingASCIIWhitespace()
        try Self.validateUnitCode(code)
        guard !name.isEmpty else { throw DirectoryError.invalid("the unit name is empty; give it with --name \"…\"") }
        let now = self.now
        let at = try Self.effectiveTime(effective, now: now)
        return try write { db in
            if try Self.unit(db, code: code) != nil { throw DirectoryError.unitExists(code) }
            var parentID: Int64?
            if let parentCode { parentID = try Self.activeUnit(db, parentCode, role: "parent").id }
            try db.execute(
                sql: "INSERT INTO unit(code, name, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [code, name, level.rawValue, parentID, now])
            let id = db.lastInsertedRowID
            try Self.recordUnitHistory(
                db, unitID: id, at: at, event: .created, name: name, level: level, parentID: parentID)
            return try Self.unit(db, code: code)!
        }
    }

    /// Unit codes: letters, digits, `-`, `_`, `.`; 1–64 characters (they appear in CSV files and URLs).
    static func validateUnitCode(_ code: String) throws {
        let ok =
            !code.isEmpty && code.utf8.count <= 64
            && code.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
            }
        if !ok {
            throw DirectoryError.invalid(
                "the unit code \"\(code)\" is not valid; use 1–64 letters, digits, '-', '_' or '.'")
        }
    }

    /// All units ordered by code (retired and merged ones too; see `status`).
    public func units() throws -> [OrgUnit] {
        try read { db in try Row.fetchAll(db, sql: Self.unitSelect + " ORDER BY u.code").map(Self.unit) }
    }

    /// The unit with `code` (case-insensitive), or nil.
    public func unit(code: String) throws -> OrgUnit? {
        try read { db in try Self.unit(db, code: code) }
    }

    static func unit(_ db: Database, code: String) throws -> OrgUnit? {
        try Row.fetchOne(db, sql: Self.unitSelect + " WHERE u.code = ?", arguments: [code]).map(unit)
    }

    /// A unit that exists now; a retired or merged one is refused with what to do instead.
    static func activeUnit(_ db: Database, _ code: String, role: String = "unit") throws -> OrgUnit {
        guard let u = try unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
        guard u.status == .active else {
            throw DirectoryError.invalid(
                "the \(role) \(u.code) is \(u.status.rawValue) and no longer takes changes; see its history with: govmail unit history \(u.code)"
            )
        }
        return u
    }

    /// Puts a unit under another (or at the top with nil) from `effective` on, refusing cycles.
    public func moveUnit(code: String, toParent parentCode: String?, effective: Int64? = nil) throws {
        let now = self.now
        let at = try Self.effectiveTime(effective, now: now)
        try write { db in
            let u = try Self.activeUnit(db, code)
            var parentID: Int64?
            if let parentCode {
                let p = try Self.activeUnit(db, parentCode, role: "parent")
                try Self.refuseCycle(db, unit: u, under: p)
                parentID = p.id
            }
            try Self.recordUnitHistory(db, unitID: u.id, at: at, event: .moved, parentID: parentID)
            try Self.refreshUnit(db, u.id)
        }
    }

    /// Walks up from the new parent; meeting the unit itself means a cycle.
    static func refuseCycle(_ db: Database, unit u: OrgUnit, under p: OrgUnit) throws {
        var cursor: Int64? = p.id
        while let c = cursor {
            if c == u.id { throw DirectoryError.unitCycle(u.code, parent: p.code) }
            cursor = try Int64.fetchOne(db, sql: "SELECT parent_id FROM unit WHERE id = ?", arguments: [c])
        }
    }

    /// Changes a unit's display name (and level, when given) from `effective` on; earlier months keep
    /// the old name and level.
    public func renameUnit(code: String, name: String, level: UnitLevel? = nil, effective: Int64? = nil) throws {
        let name = name.trimmingASCIIWhitespace()
        guard !name.isEmpty else { throw DirectoryError.invalid("the unit name is empty; give it with --name \"…\"") }
        let now = self.now
        let at = try Self.effectiveTime(effective, now: now)
        try write { db in
            guard let u = try Self.unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
            if name != u.name { try Self.recordUnitHistory(db, unitID: u.id, at: at, event: .renamed, name: name) }
            if let level, level != u.level {
                try Self.recordUnitHistory(db, unitID: u.id, at: at, event: .levelChanged, level: level)
            }
            try Self.refreshUnit(db, u.id)
        }
    }

    /// Ends a unit from `effective` on (it stays in the reports of the months it existed). It must have
    /// no accounts and no active sub-units left: move them first, or use `mergeUnit`.
    public func retireUnit(code: String, effective: Int64? = nil) throws {
        let now = self.now
        let at = try Self.effectiveTime(effective, now: now)
        try write { db in
            let u = try Self.activeUnit(db, code)
            let accounts = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM account WHERE unit_id = ? AND status <> 'deleted'", arguments: [u.id])!
            let children = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM unit WHERE parent_id = ? AND status = 'active'", arguments: [u.id])!
            if accounts > 0 || children > 0 {
                throw DirectoryError.invalid(
                    "the unit \(u.code) still has \(accounts) account(s) and \(children) active sub-unit(s); move them first (govmail account move, govmail unit move), or merge it into another unit with: govmail unit merge \(u.code) --into CODE"
                )
            }
            try Self.recordUnitHistory(db, unitID: u.id, at: at, event: .retired)
            try Self.refreshUnit(db, u.id)
        }
    }

    /// What `mergeUnit` changed.
    public struct MergeOutcome: Sendable, Equatable {
        /// Sub-units now under the target.
        public let movedUnits: [String]
        /// Accounts (not deleted) now in the target.
        public let movedAccounts: Int
    }

    /// Merges unit `code` into `target` from `effective` on: its sub-units move under the target (from
    /// the same instant), its accounts move to the target (now; reports count them in the target for
    /// every month ending after `effective`), and the unit ends. Months before stay as they were.
    @discardableResult
    public func mergeUnit(code: String, into targetCode: String, effective: Int64? = nil) throws -> MergeOutcome {
        let now = self.now
        let at = try Self.effectiveTime(effective, now: now)
        return try write { db in
            let u = try Self.activeUnit(db, code)
            let target = try Self.activeUnit(db, targetCode, role: "target")
            guard u.id != target.id else {
                throw DirectoryError.invalid("cannot merge unit \(u.code) into itself; name another unit with --into")
            }
            try Self.refuseCycle(db, unit: u, under: target)
            let children = try Row.fetchAll(
                db, sql: "SELECT id, code FROM unit WHERE parent_id = ? AND status = 'active' ORDER BY code",
                arguments: [u.id])
            for child in children {
                try Self.recordUnitHistory(db, unitID: child["id"], at: at, event: .moved, parentID: target.id)
                try Self.refreshUnit(db, child["id"])
            }
            let accounts = try Row.fetchAll(
                db, sql: Self.accountSelect + " WHERE a.unit_id = ? AND a.status <> 'deleted' ORDER BY a.id",
                arguments: [u.id]
            ).map(Self.account)
            for a in accounts { try Self.update(db, a, displayName: nil, unitID: target.id, kind: nil, now: now) }
            try Self.recordUnitHistory(db, unitID: u.id, at: at, event: .merged, targetID: target.id)
            try Self.refreshUnit(db, u.id)
            return MergeOutcome(movedUnits: children.map { $0["code"] }, movedAccounts: accounts.count)
        }
    }

    /// Removes a unit entered by mistake: one that never had sub-units, accounts or a place in another
    /// unit's history. A unit that reports need is retired or merged instead.
    public func removeUnit(code: String) throws {
        try write { db in
            guard let u = try Self.unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM unit WHERE parent_id = ?", arguments: [u.id])! > 0 {
                throw DirectoryError.unitHasChildren(u.code)
            }
            let used = try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM account WHERE unit_id = ?1) + (SELECT count(*) FROM account_history WHERE unit_id = ?1)
                         + (SELECT count(*) FROM unit_history WHERE (parent_id = ?1 OR target_id = ?1) AND unit_id <> ?1)
                    """, arguments: [u.id])!
            if used > 0 { throw DirectoryError.unitInUse(u.code) }
            try db.execute(sql: "DELETE FROM unit WHERE id = ?", arguments: [u.id])
        }
    }

    /// Every unit change, in effective order (then in the order they were entered).
    public func unitHistory(code: String? = nil) throws -> [UnitHistoryEntry] {
        try read { db in
            try Self.unitHistory(db).filter { code == nil || $0.unitCode.lowercased() == code!.lowercased() }
        }
    }

    /// The whole unit history with codes, for the reports (read inside the caller's transaction).
    public static func unitHistory(_ db: Database) throws -> [UnitHistoryEntry] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT u.code, h.at, h.event, h.name, h.level, p.code AS parent_code, t.code AS target_code
                FROM unit_history h JOIN unit u ON u.id = h.unit_id
                LEFT JOIN unit p ON p.id = h.parent_id LEFT JOIN unit t ON t.id = h.target_id
                ORDER BY h.at, h.id
                """
        ).map { row in
            guard let event = UnitHistoryEvent(rawValue: row["event"]) else {
                throw DirectoryError.invalid("unknown unit history event in database")
            }
            return UnitHistoryEntry(
                unitCode: row["code"], at: row["at"], event: event, name: row["name"],
                level: (row["level"] as String?).flatMap(UnitLevel.init(rawValue:)),
                parentCode: row["parent_code"], targetCode: row["target_code"])
        }
    }

    static func recordUnitHistory(
        _ db: Database, unitID: Int64, at: Int64, event: UnitHistoryEvent, name: String? = nil,
        level: UnitLevel? = nil, parentID: Int64? = nil, targetID: Int64? = nil
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO unit_history(unit_id, at, event, name, level, parent_id, target_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [unitID, at, event.rawValue, name, level?.rawValue, parentID, targetID])
    }

    /// Sets the `unit` row to the state its history gives today: the `created` row is the base (it
    /// may be dated after a change entered with an earlier effective date), the other changes apply
    /// in effective order, so a change holds until a later change of the same attribute.
    static func refreshUnit(_ db: Database, _ id: Int64) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT event, name, level, parent_id FROM unit_history WHERE unit_id = ?
                ORDER BY event <> 'created', at, id
                """,
            arguments: [id])
        var name: String?, level: String?, parent: Int64?, status = UnitStatus.active
        for row in rows {
            switch UnitHistoryEvent(rawValue: row["event"]) {
            case .created?:
                (name, level, parent, status) = (row["name"], row["level"], row["parent_id"], .active)
            case .renamed?: name = row["name"]
            case .levelChanged?: level = row["level"]
            case .moved?: parent = row["parent_id"]
            case .retired?: status = .retired
            case .merged?: status = .merged
            case nil: break
            }
        }
        try db.execute(
            sql: """
                UPDATE unit SET name = coalesce(?, name), level = coalesce(?, level), parent_id = ?, status = ? WHERE id = ?
                """, arguments: [name, level, parent, status.rawValue, id])
    }

    /// The instant a change holds from: now, or an earlier time; a future one is refused.
    static func effectiveTime(_ effective: Int64?, now: Int64) throws -> Int64 {
        guard let effective else { return now }
        guard effective <= now else {
            throw DirectoryError.invalid(
                "the effective date is in the future; apply a reorganisation on or after the day it takes effect")
        }
        return effective
    }
}

/// Kinds of unit change (see `unit_history` in Schema.swift).
public enum UnitHistoryEvent: String, Sendable, Codable, CaseIterable {
    case created, renamed, levelChanged = "level_changed", moved, retired, merged
}

/// One effective-dated change of a unit, with codes instead of ids.
public struct UnitHistoryEntry: Sendable, Equatable, Codable {
    public let unitCode: String
    /// Seconds since the epoch from which the change holds.
    public let at: Int64
    public let event: UnitHistoryEvent
    public let name: String?
    public let level: UnitLevel?
    public let parentCode: String?
    public let targetCode: String?
}
