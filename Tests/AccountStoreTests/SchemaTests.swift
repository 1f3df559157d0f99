import AccountStore
import GRDB
import GovMailTestSupport
import MailCore
import XCTest

final class SchemaTests: AccountStoreTestCase {
    func testMigrationsAreNamedAndApplied() throws {
        XCTAssertEqual(
            try store.appliedMigrations(),
            [
                "001-directory", "002-account-history", "003-activity-counters", "004-activity-monthly",
                "005-credential-generation", "006-report-unit-history", "007-smime-activity-signed-verified",
                "008-smime-delegation",
            ])
    }

    func testDatabaseIsWALWithForeignKeysAndPrivate() throws {
        let (mode, fk) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!)
        }
        XCTAssertEqual(mode, "wal")
        XCTAssertEqual(fk, 1)
        let attrs = try FileManager.default.attributesOfItem(atPath: AccountStore.databasePath(stateDir: dir.path))
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testReopeningKeepsDataAndAppliesNothingTwice() throws {
        try add("a@tinh.gov.vn")
        store = nil
        let again = try AccountStore.open(stateDir: dir.path, clock: clock)
        XCTAssertEqual(try again.accounts().count, 1)
    }

    func testDatabaseFromANewerVersionIsRefused() throws {
        try store.unsafeWrite { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('004-from-the-future')")
        }
        store = nil
        XCTAssertThrowsError(try AccountStore.open(stateDir: dir.path, clock: clock)) { error in
            XCTAssertEqual(error as? DirectoryError, .newerSchema(unknownMigrations: ["004-from-the-future"]))
            XCTAssertTrue("\(error)".contains("newer GovMail"))
        }
    }

    func testSchemaRefusesBadEnumerationsAndDanglingReferences() throws {
        let a = try add("a@tinh.gov.vn")
        for sql in [
            "UPDATE account SET kind = 'robot' WHERE id = \(a.id)",
            "UPDATE account SET status = 'gone' WHERE id = \(a.id)",
            "UPDATE account SET status = 'deleted' WHERE id = \(a.id)",  // deleted_at must be set too
            "UPDATE unit SET level = 'village' WHERE code = 'H-A'",
            "UPDATE account SET unit_id = 999 WHERE id = \(a.id)",
            "DELETE FROM unit WHERE code = 'H-A'",
            "INSERT INTO activity_daily(account_id, day) VALUES (\(a.id), '27/11/2026')",
        ] {
            XCTAssertThrowsError(try store.unsafeWrite { db in try db.execute(sql: sql) }, sql)
        }
    }

    func testSchemaKeepsAliasesAndAccountsApart() throws {
        let a = try add("a@tinh.gov.vn")
        // Straight SQL, bypassing the Swift checks: the triggers hold the invariant.
        XCTAssertThrowsError(
            try store.unsafeWrite { db in
                try db.execute(
                    sql:
                        "INSERT INTO alias(address, address_key, domain_id, account_id, created_at) VALUES ('A@tinh.gov.vn', 'a@tinh.gov.vn', 1, \(a.id), 0)"
                )
            })
        try store.addAlias(address("vanthu@tinh.gov.vn"), target: a.address)
        XCTAssertThrowsError(try add("VanThu@tinh.gov.vn")) {
            XCTAssertEqual($0 as? DirectoryError, .addressIsAlias("VanThu@tinh.gov.vn"))
        }
        XCTAssertThrowsError(
            try store.unsafeWrite { db in
                try db.execute(
                    sql:
                        "INSERT INTO account(address, address_key, domain_id, display_name, unit_id, kind, status, quota, created_at, updated_at) VALUES ('vanthu@tinh.gov.vn', 'vanthu@tinh.gov.vn', 1, 'x', 1, 'staff', 'enabled', 0, 0, 0)"
                )
            })
    }
}

final class UnitHistoryMigrationTests: AccountStoreTestCase {
    func testExistingUnitsGetACreatedRowWithTheirPresentState() throws {
        try store.addUnit(code: "P", name: "Tỉnh", level: .province)
        try store.addUnit(code: "H", name: "Huyện", level: .district, parentCode: "P")
        // Back to a database before the migration: no history table, no status column.
        try store.unsafeWrite { db in
            try db.execute(
                sql: """
                    DROP TABLE unit_history; ALTER TABLE unit DROP COLUMN status;
                    DELETE FROM grdb_migrations WHERE identifier = '006-report-unit-history';
                    """)
        }
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        let history = try store.unitHistory().filter { ["P", "H"].contains($0.unitCode) }
        XCTAssertEqual(history.map(\.unitCode), ["P", "H"])
        XCTAssertEqual(history.map(\.event), [.created, .created])
        XCTAssertEqual(history[1].parentCode, "P")
        XCTAssertEqual(history[1].name, "Huyện")
        XCTAssertTrue(try store.units().allSatisfy { $0.status == .active })
    }
}
