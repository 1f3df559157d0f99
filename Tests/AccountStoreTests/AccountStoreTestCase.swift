import AccountStore
import GovMailTestSupport
import MailCore
import XCTest

/// A fresh database in a temporary state folder, with a manual clock and a small directory.
class AccountStoreTestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var clock: ManualClock!
    var store: AccountStore!

    override func setUpWithError() throws {
        dir = TemporaryDirectory()
        clock = ManualClock(1_790_000_000)
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        try store.addDomain(Domain("tinh.gov.vn"))
        try store.addUnit(code: "UBND-TINH", name: "Ủy ban nhân dân tỉnh", level: .province)
        try store.addUnit(code: "H-A", name: "UBND huyện A", level: .district, parentCode: "UBND-TINH")
        try store.addUnit(code: "X-B", name: "UBND xã B", level: .commune, parentCode: "H-A")
    }

    func address(_ s: String) -> EmailAddress { try! EmailAddress(s) }

    @discardableResult
    func add(_ a: String, unit: String = "H-A", kind: AccountKind = .staff, hash: String? = nil) throws -> Account {
        let u = try XCTUnwrap(try store.unit(code: unit))
        return try store.createAccount(
            NewAccount(
                address: address(a), displayName: "Người \(a)", unitID: u.id, kind: kind,
                quota: 1000, passwordHash: hash.map(Secret.init)))
    }
}
