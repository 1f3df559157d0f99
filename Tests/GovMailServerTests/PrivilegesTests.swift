import GovMailConfig
import GovMailTestSupport
import XCTest

@testable import GovMailServer

/// `Privileges.plan`: what `serve` decides before binding (issue 18 item 5).
final class PrivilegesTests: XCTestCase {
    private func config(user: String = "", allowRoot: Bool = false, stateDir: String = "/nonexistent") -> Config {
        var c = Config()
        c.server.user = user
        c.server.allowRoot = allowRoot
        c.stateDir = stateDir
        return c
    }

    private func message(_ body: () throws -> Any?) -> String {
        do {
            _ = try body()
            return ""
        } catch { return "\(error)" }
    }

    func testRootWithoutAUserIsRefusedUnlessAllowed() throws {
        XCTAssertTrue(
            message { try Privileges.plan(config: self.config(), allowRoot: false, effectiveUID: 0) }
                .contains("refusing to serve as root"))
        XCTAssertNil(try Privileges.plan(config: config(), allowRoot: true, effectiveUID: 0))
        XCTAssertNil(try Privileges.plan(config: config(allowRoot: true), allowRoot: false, effectiveUID: 0))
    }

    func testAnUnknownUserSaysHowToCreateIt() {
        XCTAssertTrue(
            message {
                try Privileges.plan(config: self.config(user: "no-such-user-gm"), allowRoot: false, effectiveUID: 0)
            }.contains("useradd --system"))
    }

    func testRootSwitchesToTheUserOnlyWhenItOwnsTheStateFolder() throws {
        let dir = TemporaryDirectory()
        let c = config(user: "nobody", stateDir: dir.path)
        XCTAssertTrue(
            message { try Privileges.plan(config: c, allowRoot: false, effectiveUID: 0) }.contains("chown -R nobody:"),
            "the state folder still belongs to whoever made it")
        guard geteuid() == 0 else { return }  // chown needs root (CI runs as root)
        XCTAssertEqual(chown(dir.path, 65534, 65534), 0)
        XCTAssertEqual(try Privileges.plan(config: c, allowRoot: false, effectiveUID: 0)?.uid, 65534)
    }

    func testAnUnprivilegedStartMustAlreadyBeThatUser() throws {
        XCTAssertNil(try Privileges.plan(config: config(), allowRoot: false, effectiveUID: 1000), "no user: stay")
        XCTAssertNil(try Privileges.plan(config: config(user: "nobody"), allowRoot: false, effectiveUID: 65534))
        XCTAssertTrue(
            message { try Privileges.plan(config: self.config(user: "nobody"), allowRoot: false, effectiveUID: 1000) }
                .contains("cannot switch"))
    }
}
