import XCTest
@testable import MessageFormat

final class EncodedWordsTests: XCTestCase {
    func testDecodeTable() {
        let vn = TestMessages.vietnameseSubject
        let table: [(String, String)] = [
            ("=?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?=", vn),
            ("=?utf-8?q?C=C3=B4ng_v=C4=83n_s=E1=BB=91_123=2FUBND_v=E1=BB=81_vi=E1=BB=87c_tri=E1=BB=83n_khai?=", vn),
            ("=?windows-1258?B?Q/RuZyB2424gc/TsIDEyMy9VQk5EIHbqzCB2aeryYyB0cmnq0m4ga2hhaQ==?=", vn),
            ("=?windows-1258?Q?C=F4ng_v=E3n_s=F4=EC_123/UBND?=", "Công văn số 123/UBND"),
            ("=?ISO-8859-1?Q?Caf=E9_cr=E8me?=", "Café crème"),
            ("=?iso-8859-1?b?Q2Fm6Q==?=", "Café"),
            ("=?windows-1252?Q?=80_100?=", "€ 100"),
            ("=?us-ascii?q?plain_text?=", "plain text"),
            // whitespace between adjacent encoded words disappears (RFC 2047 §6.2)
            ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
            ("=?utf-8?q?a?=\t  =?utf-8?q?b?=", "ab"),
            // ... but not between an encoded word and ordinary text
            ("=?utf-8?q?a?= b =?utf-8?q?c?=", "a b c"),
            ("Re: =?utf-8?q?xin_ch=C3=A0o?= anh", "Re: xin chào anh"),
            // a UTF-8 character split across two words
            ("=?utf-8?B?4bs=?= =?utf-8?B?kQ==?=", "ố"),
            // unknown charset and malformed words stay as written
            ("=?x-unknown?q?abc?=", "=?x-unknown?q?abc?="),
            ("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),
            ("=?utf-8?q?no end", "=?utf-8?q?no end"),
            ("=?utf-8?q?has space?=", "=?utf-8?q?has space?="),
            // RFC 2231 language suffix in the charset
            ("=?utf-8*vi?q?Vi=E1=BB=87t?=", "Việt"),
            // 8-bit raw UTF-8 header text
            ("Thông báo họp", "Thông báo họp"),
            ("", ""),
        ]
        for (input, expected) in table {
            XCTAssertEqual(EncodedWords.decodeUnstructured(Array(input.utf8)), expected, input)
        }
    }

    func testRaw8BitNonUTF8FallsBackToWindows1252() {
        XCTAssertEqual(EncodedWords.decodeUnstructured([0x43, 0x61, 0x66, 0xE9]), "Café")
    }
}
