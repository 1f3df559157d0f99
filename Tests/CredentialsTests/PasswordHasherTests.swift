import Credentials
import MailCore
import XCTest

final class PasswordHasherTests: XCTestCase {
    /// Small parameters keep the suite fast; one test below uses the configured defaults.
    let fast = PasswordHasher(scrypt: ScryptParameters(logN: 10, r: 8, p: 1))

    func testScryptHashRoundTripsAndNamesItsParameters() throws {
        let h = try fast.hash(Secret("đúng-mật-khẩu"))
        XCTAssertTrue(h.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        XCTAssertEqual(h.split(separator: "$").count, 4)
        XCTAssertEqual(fast.check(Secret("đúng-mật-khẩu"), against: h), .match(upgradedHash: nil))
        XCTAssertEqual(fast.check(Secret("đúng-mật-khẩU"), against: h), .mismatch)
        XCTAssertEqual(fast.check(Secret(""), against: h), .mismatch)
    }

    func testSaltMakesEveryHashDifferent() throws {
        XCTAssertNotEqual(try fast.hash(Secret("same")), try fast.hash(Secret("same")))
    }

    func testDefaultParametersNeedExplicitMaxmemAndWork() throws {
        let hasher = PasswordHasher.configured(logN: 15, r: 8, p: 1)
        XCTAssertEqual(hasher.scheme, .scrypt)
        XCTAssertGreaterThan(hasher.scrypt.maxMemory, 32 << 20)
        let h = try hasher.hash(Secret("mật khẩu dài"))
        XCTAssertTrue(h.hasPrefix("$scrypt$ln=15,r=8,p=1$"))
        XCTAssertEqual(hasher.check(Secret("mật khẩu dài"), against: h), .match(upgradedHash: nil))
    }

    func testWeakerScryptParametersAreUpgradedOnLogin() throws {
        let old = PasswordHasher(scrypt: ScryptParameters(logN: 10, r: 8, p: 1))
        let current = PasswordHasher(scrypt: ScryptParameters(logN: 11, r: 8, p: 1))
        let h = try old.hash(Secret("pw-1234567"))
        guard case .match(let upgraded?) = current.check(Secret("pw-1234567"), against: h) else {
            return XCTFail("expected a match with an upgraded hash")
        }
        XCTAssertTrue(upgraded.hasPrefix("$scrypt$ln=11,r=8,p=1$"))
        XCTAssertEqual(current.check(Secret("pw-1234567"), against: upgraded), .match(upgradedHash: nil))
    }

    func testPBKDF2FallbackRoundTripsAndUpgradesToScrypt() throws {
        let pbkdf2 = PasswordHasher(scheme: .pbkdf2SHA512, pbkdf2Iterations: 1_000)
        let h = try pbkdf2.hash(Secret("fallback-pw"))
        XCTAssertTrue(h.hasPrefix("$pbkdf2-sha512$i=1000$"))
        XCTAssertEqual(pbkdf2.check(Secret("fallback-pw"), against: h), .match(upgradedHash: nil))
        XCTAssertEqual(pbkdf2.check(Secret("fallback-pX"), against: h), .mismatch)
        guard case .match(let upgraded?) = fast.check(Secret("fallback-pw"), against: h) else { return XCTFail() }
        XCTAssertTrue(upgraded.hasPrefix("$scrypt$"))
    }

    // Reference hashes of "pw" computed with libxcrypt (crypt_r) for fixed settings.
    static let sha512 =
        "$6$saltsalt$pauPrmdmG4BTE9h2HPmywiw152IFch6BJCEsaY6D.PLTfpV8sqvXwWdyfsgVgozkYH9B80bAip/08R2BPH2xk/"
    static let sha256 = "$5$saltsalt$0rl.MZtoLLPP3X0Rdl8riRnphIcAXJY27/aOAyK2hB5"
    static let bcrypt = "$2y$05$abcdefghijklmnopqrstuuHIrMEWpUCQe2YqFR3sXwQ75u4od..9q"

    func testImportedCryptHashesVerifyAndAreUpgraded() {
        for stored in [
            Self.sha512, "{SHA512-CRYPT}" + Self.sha512, Self.sha256, "{SHA256-CRYPT}" + Self.sha256,
            Self.bcrypt, "{BLF-CRYPT}" + Self.bcrypt, "{sha512-crypt}" + Self.sha512,
        ] {
            guard case .match(let upgraded?) = fast.check(Secret("pw"), against: stored) else {
                XCTFail("no match for \(stored.prefix(16))"); continue
            }
            XCTAssertTrue(upgraded.hasPrefix("$scrypt$"))
            XCTAssertEqual(fast.check(Secret("pW"), against: stored), .mismatch)
        }
    }

    func testSystemLibcryptSupportsTheSchemesWeAccept() {
        let supported = CryptVerifier.supportedBySystem
        for scheme in ["$6$", "$5$", "$2y$", "$2b$", "$y$"] { XCTAssertTrue(supported.contains(scheme), scheme) }
    }

    func testWeakOrUnknownSchemesAreRefused() {
        for stored in [
            "$1$salt$IXp9zPHZ94CMcVBXaZFPN/", "abzlUXK5ed5rs", "{PLAIN}pw", "{MD5-CRYPT}$1$salt$x", "pw", "",
            "$6$saltsalt", "$scrypt$ln=99,r=8,p=1$AAAA$AAAA", "$scrypt$ln=10$AAAA$AAAA",
            "$pbkdf2-sha512$i=5$c2FsdA==$AAAAAAAAAAAAAAAAAAAAAA==",
        ] {
            XCTAssertNotEqual(fast.check(Secret("pw"), against: stored), .match(upgradedHash: nil), stored)
            if case .match = fast.check(Secret("pw"), against: stored) { XCTFail("matched \(stored)") }
        }
        XCTAssertEqual(fast.check(Secret("pw"), against: "{PLAIN}pw"), .unsupportedScheme)
    }

    func testPasswordWithNULNeverMatchesACryptHash() {
        XCTAssertEqual(fast.check(Secret(bytes: [0x70, 0x77, 0x00, 0x78]), against: Self.sha512), .mismatch)
    }

    func testConstantTimeEqual() {
        XCTAssertTrue(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equal([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equal([], []))
    }

    func testParameterSummaryNamesCostButNoSecret() {
        XCTAssertEqual(PasswordHasher(scrypt: ScryptParameters()).parameterSummary, "scrypt N=2^15 r=8 p=1 (33 MiB)")
    }
}

final class PasswordPolicyTests: XCTestCase {
    let policy = PasswordPolicy(minLength: 10)
    let address = try! EmailAddress("Nguyen.Van.A@tinh.gov.vn")

    func testAcceptsALongEnoughPassword() {
        XCTAssertNoThrow(try policy.validate(Secret("Đủ dài rồi nhé"), for: address))
    }

    func testRefusesShortPasswordsCountingCharactersNotBytes() {
        XCTAssertThrowsError(try policy.validate(Secret("ngắn"), for: address)) {
            XCTAssertEqual($0 as? PasswordPolicy.Violation, .tooShort(minimum: 10))
        }
        XCTAssertThrowsError(try policy.validate(Secret("ệệệệệệệệệ"), for: address))
        XCTAssertNoThrow(try policy.validate(Secret("ệệệệệệệệệệ"), for: address))
    }

    func testRefusesTheAddressAndItsNamePartInAnyCase() {
        for pw in ["nguyen.van.a@tinh.gov.vn", "NGUYEN.VAN.A@TINH.GOV.VN", "nguyen.van.a"] {
            XCTAssertThrowsError(try policy.validate(Secret(pw), for: address)) {
                XCTAssertEqual($0 as? PasswordPolicy.Violation, .sameAsAddress)
            }
        }
    }

    func testRefusesControlCharactersAndHugePasswords() {
        XCTAssertThrowsError(try policy.validate(Secret("abcdefghij\nk"), for: address))
        XCTAssertThrowsError(try policy.validate(Secret(String(repeating: "a", count: 1025)), for: address))
    }

    func testViolationMessagesNeverContainThePassword() {
        do { try policy.validate(Secret("secretpw"), for: address) } catch {
            XCTAssertFalse("\(error)".contains("secretpw"))
        }
    }
}

final class PasswordGeneratorTests: XCTestCase {
    func testGeneratesDistinctReadablePasswordsThatPassThePolicy() throws {
        var seen = Set<String>()
        for _ in 0..<200 {
            let p = try PasswordGenerator.generate().unsafeText
            XCTAssertEqual(p.count, 16)
            XCTAssertTrue(p.allSatisfy { !"0O1lI".contains($0) && ($0.isLetter || $0.isNumber) })
            seen.insert(p)
        }
        XCTAssertEqual(seen.count, 200)
        XCTAssertNoThrow(
            try PasswordPolicy(minLength: 10).validate(
                try PasswordGenerator.generate(),
                for: try EmailAddress("a@b.vn")))
    }
}
