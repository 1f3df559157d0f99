import MailCore
import SieveProtocol
import XCTest

/// The ManageSieve session as a value: bytes in, actions out (RFC 5804).
final class ManageSieveSessionTests: XCTestCase {
    private func text(_ actions: [ManageSieveAction]) -> String {
        actions.compactMap { a -> String? in
            if case .send(let b) = a { return String(decoding: b, as: UTF8.self) }
            return nil
        }.joined()
    }

    private func loggedIn() -> ManageSieveSession {
        var s = ManageSieveSession(
            configuration: .init(tlsAvailable: false, tlsActive: true, allowPlaintextAuth: false))
        _ = s.receive(.connected)
        let a = s.receive(.received(Array("AUTHENTICATE \"PLAIN\" \"AGFuQHNvLmdvdi52bgBwdw==\"\r\n".utf8)))
        XCTAssertEqual(a, [.authenticate(username: "an@so.gov.vn", password: Secret("pw"), authorizationIdentity: "")])
        XCTAssertEqual(
            text(s.receive(.authenticationResult(.succeeded(account: "an@so.gov.vn")))),
            "OK \"Logged in\"\r\n")
        return s
    }

    func testGreetingOffersStartTLSAndNoSASLBeforeTLS() {
        var s = ManageSieveSession(
            configuration: .init(tlsAvailable: true, tlsActive: false, allowPlaintextAuth: false))
        let greeting = text(s.receive(.connected))
        XCTAssertTrue(greeting.contains("\"IMPLEMENTATION\" \"GovMail\"\r\n"))
        XCTAssertTrue(greeting.contains("\"SASL\" \"\"\r\n"))
        XCTAssertTrue(greeting.contains("\"STARTTLS\"\r\n"))
        XCTAssertTrue(greeting.contains("\"SIEVE\" \"body comparator-i;ascii-numeric copy date"))
        XCTAssertTrue(greeting.hasSuffix("OK \"GovMail ManageSieve ready\"\r\n"))
        XCTAssertEqual(
            text(s.receive(.received(Array("AUTHENTICATE \"PLAIN\" \"AGFAYgBj\"\r\n".utf8)))),
            "NO (ENCRYPT-NEEDED) \"Use STARTTLS before logging in\"\r\n")
        let tls = s.receive(.received(Array("STARTTLS\r\nCAPABILITY\r\n".utf8)))
        XCTAssertEqual(tls.last, .startTLS)
        let after = text(s.receive(.tlsStarted))
        XCTAssertTrue(after.contains("\"SASL\" \"PLAIN LOGIN\"") && !after.contains("STARTTLS"), after)
    }

    func testScriptCommandsGoToTheBackendAndAnswerInOrder() {
        var s = loggedIn()
        // Pipelined: the second command waits until the first one's result came back.
        let put = s.receive(.received(Array("PUTSCRIPT \"lọc\" {6+}\r\nkeep;\n\r\nLISTSCRIPTS\r\n".utf8)))
        XCTAssertEqual(put, [.perform(.put("lọc", source: "keep;\n"))])
        let list = s.receive(.requestResult(.done))
        XCTAssertEqual(text(list), "OK\r\n")
        XCTAssertEqual(list.last, .perform(.list))
        XCTAssertEqual(
            text(
                s.receive(.requestResult(.list([.init(name: "lọc", active: true), .init(name: "b", active: false)])))),
            "\"lọc\" ACTIVE\r\n\"b\"\r\nOK\r\n")
        XCTAssertEqual(s.receive(.received(Array("GETSCRIPT \"lọc\"\r\n".utf8))), [.perform(.get("lọc"))])
        XCTAssertEqual(text(s.receive(.requestResult(.script("keep;\n")))), "{6}\r\nkeep;\n\r\nOK\r\n")
        XCTAssertEqual(s.receive(.received(Array("DELETESCRIPT \"lọc\"\r\n".utf8))), [.perform(.delete("lọc"))])
        XCTAssertEqual(
            text(s.receive(.requestResult(.refused(code: "ACTIVE", message: "it is active")))),
            "NO (ACTIVE) \"it is active\"\r\n")
        XCTAssertEqual(s.receive(.received(Array("SETACTIVE \"\"\r\n".utf8))), [.perform(.setActive(nil))])
    }

    func testBadScriptsAreRefusedWithLineAndColumnAndNotStored() {
        var s = loggedIn()
        let script = "require \"fileinto\";\nif true {\n  fileinto \"x\"\n}\n"
        let check = text(s.receive(.received(Array("CHECKSCRIPT {\(script.utf8.count)+}\r\n\(script)\r\n".utf8))))
        XCTAssertEqual(
            check, "NO \"line 4, column 1: expected \\\";\\\" after the fileinto command, found \\\"}\\\"\"\r\n")
        let put = s.receive(.received(Array("PUTSCRIPT \"x\" {\(script.utf8.count)+}\r\n\(script)\r\n".utf8)))
        XCTAssertTrue(text(put).hasPrefix("NO \"line 4, column 1"), text(put))
        XCTAssertFalse(put.contains { if case .perform = $0 { return true } else { return false } })
        XCTAssertEqual(text(s.receive(.received(Array("CHECKSCRIPT \"keep;\"\r\n".utf8)))), "OK\r\n")
    }

    func testLoginMechanismAndFailures() {
        var s = ManageSieveSession(
            configuration: .init(tlsAvailable: false, tlsActive: true, allowPlaintextAuth: false))
        _ = s.receive(.connected)
        XCTAssertEqual(
            text(s.receive(.received(Array("LISTSCRIPTS\r\n".utf8)))), "NO \"Log in first (AUTHENTICATE)\"\r\n")
        XCTAssertEqual(text(s.receive(.received(Array("AUTHENTICATE \"LOGIN\"\r\n".utf8)))), "\"VXNlcm5hbWU6\"\r\n")
        XCTAssertEqual(text(s.receive(.received(Array("\"YW5Ac28uZ292LnZu\"\r\n".utf8)))), "\"UGFzc3dvcmQ6\"\r\n")
        XCTAssertEqual(
            s.receive(.received(Array("{4+}\r\neHl6\r\n".utf8))),
            [.authenticate(username: "an@so.gov.vn", password: Secret("xyz"), authorizationIdentity: "")])
        XCTAssertEqual(
            text(s.receive(.authenticationResult(.failed))),
            "NO \"Authentication failed; check the address and password\"\r\n")
        XCTAssertEqual(
            s.receive(.received(Array("AUTHENTICATE \"PLAIN\" \"AGFuQHNvLmdvdi52bgB4eXo=\"\r\n".utf8))),
            [.authenticate(username: "an@so.gov.vn", password: Secret("xyz"), authorizationIdentity: "")])
        XCTAssertEqual(
            text(s.receive(.authenticationResult(.busy))),
            "NO (TRYLATER) \"The server is busy checking logins; try again in a minute\"\r\n")
        XCTAssertEqual(text(s.receive(.received(Array("AUTHENTICATE \"PLAIN\"\r\n".utf8)))), "\"\"\r\n")
        XCTAssertEqual(text(s.receive(.received(Array("\"*\"\r\n".utf8)))), "NO \"Authentication cancelled\"\r\n")
        XCTAssertEqual(text(s.receive(.received(Array("NOOP \"t1\"\r\n".utf8)))), "OK (TAG \"t1\") \"Done\"\r\n")
    }

    func testSyntaxErrorsKeepTheSessionAndAbuseEndsIt() {
        var s = loggedIn()
        XCTAssertTrue(text(s.receive(.received(Array("FROB\r\n".utf8)))).hasPrefix("NO \"unknown command FROB\""))
        XCTAssertTrue(text(s.receive(.received(Array("GETSCRIPT bare words\r\n".utf8)))).hasPrefix("NO "))
        XCTAssertEqual(text(s.receive(.received(Array("NOOP\r\n".utf8)))), "OK \"Done\"\r\n")
        // Incomplete input consumes nothing and answers nothing.
        XCTAssertEqual(s.receive(.received(Array("PUTSCRIPT \"a\" {10+}\r\nkee".utf8))), [])
        var limits = SieveLimits()
        limits.maxScriptSize = 100
        var config = ManageSieveConfiguration(tlsAvailable: false, tlsActive: true, allowPlaintextAuth: false)
        config.limits = limits
        var small = ManageSieveSession(configuration: config)
        _ = small.receive(.connected)
        let big = small.receive(.received(Array("PUTSCRIPT \"a\" {999999+}\r\n".utf8)))
        XCTAssertTrue(text(big).hasPrefix("BYE "), text(big))
        XCTAssertEqual(big.last, .close)
        XCTAssertTrue(small.isClosed)
    }

    func testChunkedInputGivesTheSameAnswers() {
        let input = Array("NOOP\r\nCHECKSCRIPT {5+}\r\nkeep;\r\nCHECKSCRIPT \"discard\"\r\nLOGOUT\r\n".utf8)
        var whole = loggedIn()
        let all = text(whole.receive(.received(input)))
        var bytewise = loggedIn()
        var pieces = ""
        for b in input { pieces += text(bytewise.receive(.received([b]))) }
        XCTAssertEqual(all, pieces)
        XCTAssertEqual(all.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 4, all)
    }
}
