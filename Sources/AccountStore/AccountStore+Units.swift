import GRDB
import MailCore

extension AccountStore {
    static let unitSelect = """
        SELECT u.id, u.code, u.name, u.level, u.parent_id, p.code AS parent_code, u.created_at
        FROM unit u LEFT JOIN unit p ON p.id = u.parent_id
        """

    static func unit(_ row: Row) throws -> OrgUnit {
        guard let level = UnitLevel(rawValue: row["level"]) else {
            throw DirectoryError.invalid("unknown unit level in database")
        }
        return OrgUnit(
            id: row["id"], code: row["code"], name: row["name"], level: level, parentID: row["parent_id"],
            parentCode: row["parent_code"], createdAt: row["created_at"])
    }

    /// Adds a unit; `parentCode` must name an existing unit.
    @discardableResult
    public func addUnit(code: String, name: String, level: UnitLevel, parentCode: String? = nil) throws -> OrgUnit {
        let code = code.trimmingASCIIWhitespace(), name = name.trimmingASCIIWhitespace()
        try Self.validateUnitCode(code)
        guard !name.isEmpty else { throw DirectoryError.invalid("the unit name is empty; give it with --name \"…\"") }
        let now = self.now
        return try write { db in
            if try Self.unit(db, code: code) != nil { throw DirectoryError.unitExists(code) }
            var parentID: Int64?
            if let parentCode {
                guard let p = try Self.unit(db, code: parentCode) else { throw DirectoryError.unknownUnit(parentCode) }
                parentID = p.id
            }
            try db.execute(
                sql: "INSERT INTO unit(code, name, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [code, name, level.rawValue, parentID, now])
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

    /// All units ordered by code.
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

    /// Puts a unit under another (or at the top with nil), refusing cycles.
    public func moveUnit(code: String, toParent parentCode: String?) throws {
        try write { db in
            guard let u = try Self.unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
            var parentID: Int64?
            if let parentCode {
                guard let p = try Self.unit(db, code: parentCode) else { throw DirectoryError.unknownUnit(parentCode) }
                // Walk up from the new parent; meeting the unit itself means a cycle.
                var cursor: Int64? = p.id
                while let c = cursor {
                    if c == u.id { throw DirectoryError.unitCycle(u.code, parent: p.code) }
                    cursor = try Int64.fetchOne(db, sql: "SELECT parent_id FROM unit WHERE id = ?", arguments: [c])
                }
                parentID = p.id
            }
            try db.execute(sql: "UPDATE unit SET parent_id = ? WHERE id = ?", arguments: [parentID, u.id])
        }
    }

    /// Changes a unit's display name (and level, when given).
    public func renameUnit(code: String, name: String, level: UnitLevel? = nil) throws {
        let name = name.trimmingASCIIWhitespace()
        guard !name.isEmpty else { throw DirectoryError.invalid("the unit name is empty; give it with --name \"…\"") }
        try write { db in
            guard let u = try Self.unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
            try db.execute(
                sql: "UPDATE unit SET name = ?, level = ? WHERE id = ?",
                arguments: [name, (level ?? u.level).rawValue, u.id])
        }
    }

    /// Removes a unit that has no sub-units, no accounts and no history.
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
                    """, arguments: [u.id])!
            if used > 0 { throw DirectoryError.unitInUse(u.code) }
            try db.execute(sql: "DELETE FROM unit WHERE id = ?", arguments: [u.id])
        }
    }
}
