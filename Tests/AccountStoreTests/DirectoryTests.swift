import AccountStore
import GovMailTestSupport
import MailCore
import XCTest

final class DirectoryTests: AccountStoreTestCase {
    func testDomainsAddListRemove() throws {
        XCTAssertThrowsError(try store.addDomain(Domain("TINH.gov.vn"))) {
            XCTAssertEqual($0 as? DirectoryError, .domainExists("tinh.gov.vn"))
        }
        try store.addDomain(Domain("huyen-a.tinh.gov.vn"))
        XCTAssertEqual(try store.domains().map(\.name.name), ["huyen-a.tinh.gov.vn", "tinh.gov.vn"])
        try add("a@tinh.gov.vn")
        XCTAssertThrowsError(try store.removeDomain(Domain("tinh.gov.vn"))) {
            XCTAssertEqual($0 as? DirectoryError, .domainInUse("tinh.gov.vn", accounts: 1))
        }
        try store.removeDomain(Domain("huyen-a.tinh.gov.vn"))
        XCTAssertEqual(try store.domains().map(\.accountCount), [1])
    }

    func testUnitsKeepTheirHierarchyWithoutCycles() throws {
        XCTAssertEqual(try store.unit(code: "x-b")?.parentCode, "H-A")
        XCTAssertThrowsError(try store.moveUnit(code: "UBND-TINH", toParent: "X-B")) {
            XCTAssertEqual($0 as? DirectoryError, .unitCycle("UBND-TINH", parent: "X-B"))
        }
        XCTAssertThrowsError(try store.moveUnit(code: "H-A", toParent: "H-A"))
        try store.moveUnit(code: "X-B", toParent: "UBND-TINH")
        XCTAssertEqual(try store.unit(code: "X-B")?.parentCode, "UBND-TINH")
        try store.moveUnit(code: "X-B", toParent: nil)
        XCTAssertNil(try store.unit(code: "X-B")?.parentID)
        try store.renameUnit(code: "X-B", name: "UBND phường B", level: .commune)
        XCTAssertEqual(try store.unit(code: "X-B")?.name, "UBND phường B")
        XCTAssertThrowsError(try store.addUnit(code: "bad code", name: "x", level: .other))
        XCTAssertThrowsError(try store.addUnit(code: "Y", name: "x", level: .other, parentCode: "NOPE")) {
            XCTAssertEqual($0 as? DirectoryError, .unknownUnit("NOPE"))
        }
    }

    func testUnitsWithChildrenOrHistoryCannotBeRemoved() throws {
        XCTAssertThrowsError(try store.removeUnit(code: "H-A")) {
            XCTAssertEqual($0 as? DirectoryError, .unitHasChildren("H-A"))
        }
        try add("a@tinh.gov.vn", unit: "X-B")
        try store.moveAccount(address("a@tinh.gov.vn"), toUnit: "H-A")
        XCTAssertThrowsError(try store.removeUnit(code: "X-B")) {
            XCTAssertEqual($0 as? DirectoryError, .unitInUse("X-B"))
        }
        try store.addUnit(code: "EMPTY", name: "Trống", level: .other)
        try store.removeUnit(code: "EMPTY")
        XCTAssertNil(try store.unit(code: "EMPTY"))
    }

    func testAddressesAreUniqueWithoutRegardToCaseIncludingVietnamese() throws {
        try add("Nguyen.Van.A@tinh.gov.vn")
        XCTAssertThrowsError(try add("nguyen.van.a@TINH.GOV.VN")) {
            XCTAssertEqual($0 as? DirectoryError, .addressTaken("nguyen.van.a@tinh.gov.vn"))
        }
        try add("Đặng@tinh.gov.vn")
        XCTAssertThrowsError(try add("đẶNG@tinh.gov.vn"))
        XCTAssertEqual(
            try store.account(address: address("NGUYEN.VAN.A@tinh.gov.vn"))?.address.localPart, "Nguyen.Van.A")
    }

    func testAccountsNeedAKnownDomainAndUnit() throws {
        XCTAssertThrowsError(try add("a@khac.vn")) { XCTAssertEqual($0 as? DirectoryError, .unknownDomain("khac.vn")) }
        XCTAssertThrowsError(try store.moveAccount(address("nobody@tinh.gov.vn"), toUnit: "H-A")) {
            XCTAssertEqual($0 as? DirectoryError, .unknownAccount("nobody@tinh.gov.vn"))
        }
    }

    func testDisableEnableMoveQuotaAndHistory() throws {
        let a = try add("a@tinh.gov.vn")
        clock.advance(60)
        XCTAssertTrue(try store.setEnabled(a.address, false))
        XCTAssertFalse(try store.setEnabled(a.address, false))
        clock.advance(60)
        try store.setEnabled(a.address, true)
        clock.advance(60)
        try store.moveAccount(a.address, toUnit: "X-B")
        try store.setQuota(a.address, bytes: 5 << 30)
        try store.updateAccount(a.address, kind: .shared)
        let h = try store.history(accountID: a.id)
        XCTAssertEqual(h.map(\.event), [.created, .disabled, .enabled, .moved, .kindChanged])
        XCTAssertEqual(h.map(\.enabled), [true, false, true, true, true])
        XCTAssertEqual(h[3].unitID, try store.unit(code: "X-B")?.id)
        XCTAssertEqual(h[4].kind, .shared)
        XCTAssertEqual(try store.account(address: a.address)?.quota, 5 << 30)
    }

    func testDeleteIsSoftKeepsHistoryRemovesAliasesAndFreesTheAddress() throws {
        let a = try add("a@tinh.gov.vn", hash: "$scrypt$x")
        try store.addAlias(address("vanthu@tinh.gov.vn"), target: a.address)
        clock.advance(3600)
        let d = try store.deleteAccount(a.address)
        XCTAssertEqual(d.status, .deleted)
        XCTAssertNil(d.passwordHash)
        XCTAssertNotNil(d.deletedAt)
        XCTAssertNil(try store.account(address: a.address))
        XCTAssertEqual(try store.account(id: a.id)?.status, .deleted)
        XCTAssertEqual(try store.aliases(), [])
        XCTAssertEqual(try store.history(accountID: a.id).last?.event, .deleted)
        XCTAssertThrowsError(try store.setEnabled(a.address, true)) {
            XCTAssertEqual($0 as? DirectoryError, .accountDeleted("a@tinh.gov.vn"))
        }
        let b = try add("a@tinh.gov.vn")
        XCTAssertNotEqual(b.id, a.id)
        XCTAssertEqual(try store.accounts(includeDeleted: true).count, 2)
        XCTAssertEqual(try store.deletedAccount(address: a.address)?.id, a.id)
    }

    func testAliasesPointToLiveAccounts() throws {
        let a = try add("a@tinh.gov.vn")
        try store.addAlias(address("VanPhong@tinh.gov.vn"), target: a.address)
        XCTAssertThrowsError(try store.addAlias(address("vanphong@tinh.gov.vn"), target: a.address))
        XCTAssertThrowsError(try store.addAlias(address("a@tinh.gov.vn"), target: a.address)) {
            XCTAssertEqual($0 as? DirectoryError, .aliasShadowsAccount("a@tinh.gov.vn"))
        }
        XCTAssertThrowsError(try store.addAlias(address("x@khac.vn"), target: a.address))
        XCTAssertEqual(try store.aliases(target: a.address).map(\.address.description), ["VanPhong@tinh.gov.vn"])
        try store.removeAlias(address("vanphong@tinh.gov.vn"))
        XCTAssertThrowsError(try store.removeAlias(address("vanphong@tinh.gov.vn"))) {
            XCTAssertEqual($0 as? DirectoryError, .unknownAlias("vanphong@tinh.gov.vn"))
        }
    }

    func testApplyIsAllOrNothing() throws {
        let unit = try XCTUnwrap(try store.unit(code: "H-A")).id
        let ok = NewAccount(address: address("new@tinh.gov.vn"), displayName: "Mới", unitID: unit, quota: 0)
        let bad = NewAccount(address: address("x@khac.vn"), displayName: "Sai", unitID: unit, quota: 0)
        XCTAssertThrowsError(try store.apply([.create(ok), .create(bad)]))
        XCTAssertEqual(try store.accounts(includeDeleted: true), [])
        XCTAssertEqual(try store.apply([.create(ok)]).count, 1)
    }

    func testAccountJSONHasNoPasswordHash() throws {
        let a = try add("a@tinh.gov.vn", hash: "$scrypt$ln=15,r=8,p=1$c2FsdA==$aGFzaA==")
        let json = String(decoding: try JSONEncoder().encode(a), as: UTF8.self)
        XCTAssertFalse(json.contains("scrypt"))
        XCTAssertTrue(json.contains("\"hasPassword\":true"))
        XCTAssertFalse("\(a)".contains("scrypt"))
    }
}
