import AccountStore
import GRDB
import GovMailTestSupport
import MailCore
import XCTest

/// Stored enums decode strictly: a value the CHECK constraints should have refused is an error,
/// never silently read as `staff`, `disabled` or `created`.
final class ColumnDecodingTests: AccountStoreTestCase {
    func testAnUnknownKindInAHistoryRowIsAnErrorNotStaff() throws {
        let a = try add("an@tinh.gov.vn", kind: .shared)
        let directory = SQLiteDirectory(store: store, verifier: FakeVerifier())
        XCTAssertEqual(try store.history(accountID: a.id).map(\.kind), [.shared])
        XCTAssertEqual(try directory.lookup(a.address)?.kind, .shared)
        try store.unsafeWrite { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: "UPDATE account_history SET kind = 'robot' WHERE account_id = ?", arguments: [a.id])
            try db.execute(sql: "UPDATE account SET status = 'asleep' WHERE id = ?", arguments: [a.id])
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
        XCTAssertThrowsError(try store.history(accountID: a.id))
        XCTAssertThrowsError(try directory.lookup(a.address))
    }
}
