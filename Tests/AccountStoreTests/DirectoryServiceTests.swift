import AccountStore
import GovMailTestSupport
import MailCore
import Synchronization
import XCTest

/// A verifier that knows hashes of the form `plain:<password>` (current) and `old:<password>` (to upgrade).
final class FakeVerifier: PasswordVerifying {
    let dummies = Atomic<Int>(0)
    func check(_ password: Secret, against storedHash: String) -> PasswordCheck {
        if storedHash == "plain:" + password.unsafeText { return .match(upgradedHash: nil) }
        if storedHash == "old:" + password.unsafeText { return .match(upgradedHash: "plain:" + password.unsafeText) }
        if storedHash.hasPrefix("plain:") || storedHash.hasPrefix("old:") { return .mismatch }
        return .unsupportedScheme
    }
    func checkDummy(_ password: Secret) { dummies.add(1, ordering: .relaxed) }
}

final class DirectoryServiceTests: AccountStoreTestCase {
    var verifier: FakeVerifier!
    var directory: (any DirectoryService)!

    override func setUpWithError() throws {
        try super.setUpWithError()
        verifier = FakeVerifier()
        directory = SQLiteDirectory(store: store, verifier: verifier)
    }

    func testLookupByAddressOrAliasInAnyCase() throws {
        let a = try add("Nguyen.Van.A@tinh.gov.vn", hash: "plain:pw")
        try store.addAlias(address("vanthu@tinh.gov.vn"), target: a.address)
        let direct = try XCTUnwrap(try directory.lookup(address("nguyen.van.a@TINH.gov.vn")))
        XCTAssertEqual(direct.accountID, a.id)
        XCTAssertEqual(direct.address.localPart, "Nguyen.Van.A")
        XCTAssertNil(direct.viaAlias)
        XCTAssertEqual(direct.quota, 1000)
        let viaAlias = try XCTUnwrap(try directory.lookup(address("VANTHU@tinh.gov.vn")))
        XCTAssertEqual(viaAlias.accountID, a.id)
        XCTAssertEqual(viaAlias.viaAlias?.description, "vanthu@tinh.gov.vn")
        XCTAssertNil(try directory.lookup(address("nobody@tinh.gov.vn")))
        XCTAssertEqual(try directory.aliases(ofAccount: a.id).map(\.description), ["vanthu@tinh.gov.vn"])
        try store.deleteAccount(a.address)
        XCTAssertNil(try directory.lookup(a.address))
    }

    func testAuthenticateOutcomesAlwaysSpendOneCheck() throws {
        let a = try add("a@tinh.gov.vn", hash: "plain:right")
        try add("nopw@tinh.gov.vn")
        let d = try add("d@tinh.gov.vn", hash: "plain:right")
        try store.setEnabled(d.address, false)
        try store.addAlias(address("alias@tinh.gov.vn"), target: a.address)
        guard case .success(let entry) = try directory.authenticate(a.address, password: Secret("right")) else {
            return XCTFail("expected success")
        }
        XCTAssertEqual(entry.accountID, a.id)
        XCTAssertEqual(try directory.authenticate(a.address, password: Secret("wrong")), .failure(.wrongPassword))
        XCTAssertEqual(try directory.authenticate(d.address, password: Secret("right")), .failure(.disabled))
        XCTAssertEqual(
            try directory.authenticate(address("x@tinh.gov.vn"), password: Secret("right")), .failure(.unknownAddress))
        XCTAssertEqual(
            try directory.authenticate(address("alias@tinh.gov.vn"), password: Secret("right")),
            .failure(.unknownAddress))
        XCTAssertEqual(
            try directory.authenticate(address("nopw@tinh.gov.vn"), password: Secret("right")), .failure(.noPassword))
        XCTAssertEqual(verifier.dummies.load(ordering: .relaxed), 3)
    }

    func testOldHashIsUpgradedAfterSuccessfulLoginOnly() throws {
        let a = try add("a@tinh.gov.vn", hash: "old:pw")
        XCTAssertEqual(try directory.authenticate(a.address, password: Secret("nope")), .failure(.wrongPassword))
        XCTAssertEqual(try store.account(address: a.address)?.passwordHash, Secret("old:pw"))
        guard case .success = try directory.authenticate(a.address, password: Secret("pw")) else { return XCTFail() }
        XCTAssertEqual(try store.account(address: a.address)?.passwordHash, Secret("plain:pw"))
    }
}

final class CredentialGenerationTests: AccountStoreTestCase {
    func testEveryChangeALoginDependsOnBumpsTheGeneration() throws {
        let directory = SQLiteDirectory(store: store, verifier: FakeVerifier())
        let a = try add("a@tinh.gov.vn", hash: "plain:pw")
        func generation() throws -> Int64? { try directory.lookup(a.address)?.credentialGeneration }
        var seen = [try XCTUnwrap(try generation())]
        try store.setPasswordHash(accountID: a.id, Secret("plain:new"))
        seen.append(try XCTUnwrap(try generation()))
        try store.moveAccount(a.address, toUnit: "X-B")
        seen.append(try XCTUnwrap(try generation()))
        _ = try store.setEnabled(a.address, false)
        seen.append(try XCTUnwrap(try generation()))
        _ = try store.setEnabled(a.address, true)
        seen.append(try XCTUnwrap(try generation()))
        XCTAssertEqual(Set(seen).count, seen.count, "each change gives a new generation: \(seen)")
        XCTAssertEqual(seen, seen.sorted())
        // A quota change does not log anyone out.
        let before = try generation()
        try store.setQuota(a.address, bytes: 5000)
        XCTAssertEqual(try generation(), before)
        try store.deleteAccount(a.address)
        XCTAssertNil(try generation())
    }

    func testAnUpgradedHashComesBackWithItsNewGeneration() throws {
        let directory = SQLiteDirectory(store: store, verifier: FakeVerifier())
        let a = try add("old@tinh.gov.vn", hash: "old:pw")
        guard case .success(let entry) = try directory.authenticate(a.address, password: Secret("pw")) else {
            return XCTFail("the old-scheme password should verify")
        }
        XCTAssertEqual(entry.credentialGeneration, try directory.lookup(a.address)?.credentialGeneration)
        XCTAssertEqual(entry.passwordHash?.unsafeText, "plain:pw")
    }
}
