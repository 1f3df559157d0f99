import GovMailTestSupport
import MailCore
import SMTPProtocol
import XCTest

final class SMTPCommandParserTests: XCTestCase {
    private func parse(_ text: String, limit: Int = 512) throws(SMTPParseError) -> SMTPCommand? {
        var buffer = ByteQueue(Array(text.utf8))
        return try SMTPCommandParser.parse(&buffer, lineLimit: limit)
    }

    private func address(_ s: String) -> EmailAddress { try! EmailAddress(s) }

    func testSuccessTable() throws {
        let table: [(String, SMTPCommand)] = [
            ("EHLO client.example\r\n", .ehlo("client.example")),
            ("ehlo [192.0.2.1]\r\n", .ehlo("[192.0.2.1]")),
            ("HELO host\r\n", .helo("host")),
            ("MAIL FROM:<a@gov.vn>\r\n", .mail(MailFrom(reversePath: address("a@gov.vn")))),
            ("mail from: <a@gov.vn>\r\n", .mail(MailFrom(reversePath: address("a@gov.vn")))),
            ("MAIL FROM:<>\r\n", .mail(MailFrom(reversePath: nil))),
            (
                "MAIL FROM:<a@gov.vn> SIZE=1000 BODY=8BITMIME SMTPUTF8\r\n",
                .mail(MailFrom(reversePath: address("a@gov.vn"), size: 1000, body: .eightBitMIME, smtpUTF8: true))
            ),
            ("MAIL FROM:<a@gov.vn> body=7bit\r\n", .mail(MailFrom(reversePath: address("a@gov.vn"), body: .sevenBit))),
            ("MAIL FROM:<@relay.example:a@gov.vn>\r\n", .mail(MailFrom(reversePath: address("a@gov.vn")))),
            (
                "MAIL FROM:<nguyễn@gov.vn> SMTPUTF8\r\n",
                .mail(MailFrom(reversePath: address("nguyễn@gov.vn"), smtpUTF8: true))
            ),
            ("RCPT TO:<b@gov.vn>\r\n", .rcpt(RcptTo(forwardPath: address("b@gov.vn")))),
            ("RCPT TO:<Postmaster>\r\n", .rcpt(RcptTo(forwardPath: nil))),
            ("RCPT TO:<postmaster@gov.vn>\r\n", .rcpt(RcptTo(forwardPath: address("postmaster@gov.vn")))),
            ("DATA\r\n", .data),
            ("BDAT 100\r\n", .bdat(size: 100, last: false)),
            ("BDAT 0 LAST\r\n", .bdat(size: 0, last: true)),
            ("RSET\r\n", .rset),
            ("NOOP\r\n", .noop),
            ("NOOP hello\r\n", .noop),
            ("QUIT\r\n", .quit),
            ("VRFY bob\r\n", .vrfy("bob")),
            ("HELP\r\n", .help(nil)),
            ("HELP MAIL\r\n", .help("MAIL")),
            ("STARTTLS\r\n", .startTLS),
            ("AUTH PLAIN\r\n", .auth(mechanism: .plain, initialResponse: nil)),
            ("AUTH plain AGFAYgBj\r\n", .auth(mechanism: .plain, initialResponse: "AGFAYgBj")),
            ("AUTH LOGIN\r\n", .auth(mechanism: .login, initialResponse: nil)),
            ("AUTH LOGIN YWxpY2U=\r\n", .auth(mechanism: .login, initialResponse: "YWxpY2U=")),
        ]
        for (input, expected) in table {
            XCTAssertEqual(try parse(input), expected, input)
        }
    }

    func testIncompleteInputConsumesNothing() throws {
        for input in ["", "EHLO", "MAIL FROM:<a@gov.vn>", "DATA\r", "AUTH PLAIN AGFA"] {
            var buffer = ByteQueue(Array(input.utf8))
            XCTAssertNil(try SMTPCommandParser.parse(&buffer, lineLimit: 512), input)
            XCTAssertEqual(buffer.count, input.utf8.count, input)
        }
    }

    func testFailureTable() {
        let table: [(String, SMTPParseError)] = [
            ("FOO\r\n", .unknownCommand),
            ("\r\n", .unknownCommand),
            ("EHLO\r\n", .syntax("EHLO needs your host name, e.g. EHLO client.example.org")),
            ("MAIL TO:<a@gov.vn>\r\n", .syntax("expected FROM:<address>")),
            ("MAIL FROM:a@gov.vn\r\n", .badAddress("the address must be in angle brackets")),
            ("MAIL FROM:<a@gov.vn>SIZE=1\r\n", .syntax("put a space between the address and the parameters")),
            ("MAIL FROM:<a@gov.vn> SIZE=x\r\n", .syntax("SIZE needs a number of bytes")),
            ("MAIL FROM:<a@gov.vn> SIZE=99999999999999999999999\r\n", .syntax("SIZE needs a number of bytes")),
            ("MAIL FROM:<a@gov.vn> BODY=BINARYMIME\r\n", .syntax("BODY must be 7BIT or 8BITMIME")),
            ("MAIL FROM:<a@gov.vn> RET=FULL\r\n", .unsupportedParameter("RET")),
            ("MAIL FROM:<\"a b\"@gov.vn>\r\n", .badAddress("quoted local parts are not accepted")),
            ("RCPT TO:<>\r\n", .badAddress("the recipient cannot be empty")),
            ("RCPT TO:<b@gov.vn> NOTIFY=NEVER\r\n", .unsupportedParameter("NOTIFY")),
            ("DATA now\r\n", .syntax("this command takes no arguments")),
            ("BDAT\r\n", .syntax("BDAT needs a chunk size, e.g. BDAT 1000 LAST")),
            ("BDAT -1\r\n", .syntax("BDAT needs a chunk size, e.g. BDAT 1000 LAST")),
            ("BDAT 10 FIRST\r\n", .syntax("the only BDAT option is LAST")),
            ("AUTH\r\n", .syntax("AUTH needs a mechanism, e.g. AUTH PLAIN")),
            ("AUTH CRAM-MD5\r\n", .unsupportedMechanism),
            ("VRFY\r\n", .syntax("VRFY needs an argument")),
            ("NOOP\n", .bareLineFeed),
            ("GET / HTTP/1.1\r\n", .httpRequest),
            ("POST /x HTTP/1.1\r\n", .httpRequest),
        ]
        for (input, expected) in table {
            XCTAssertThrowsError(try parse(input), input) { XCTAssertEqual($0 as? SMTPParseError, expected, input) }
        }
    }

    func testFailedCompleteLineIsConsumedSoTheNextCommandParses() throws {
        var buffer = ByteQueue(Array("FOO\r\nNOOP\r\n".utf8))
        XCTAssertThrowsError(try SMTPCommandParser.parse(&buffer, lineLimit: 512))
        XCTAssertEqual(try SMTPCommandParser.parse(&buffer, lineLimit: 512), .noop)
    }

    func testLineLimit() {
        let long = "EHLO " + String(repeating: "a", count: 100) + "\r\n"
        XCTAssertThrowsError(try parse(long, limit: 50)) { XCTAssertEqual($0 as? SMTPParseError, .lineTooLong) }
        // Without a line end yet, more than the limit buffered is already too long.
        XCTAssertThrowsError(try parse(String(repeating: "a", count: 60), limit: 50)) {
            XCTAssertEqual($0 as? SMTPParseError, .lineTooLong)
        }
        XCTAssertEqual(try parse("NOOP\r\n", limit: 6), .noop)
        XCTAssertThrowsError(try parse("NOOP\r\n", limit: 5))
    }

    func testRepliesCarryEnhancedCodesAndLookRight() {
        XCTAssertEqual(
            SMTPParseError.unknownCommand.reply.wireLines, ["500 5.5.1 Unknown command; send HELP for the list"])
        XCTAssertEqual(SMTPReply.authContinue("").encoded, Array("334 \r\n".utf8))
        XCTAssertEqual(
            SMTPReply.ehlo(host: "h", client: "c", extensions: ["PIPELINING"]).wireLines,
            ["250-h greets c", "250 PIPELINING"])
    }

    func testPipelinedCommandsParseIdenticallyWhateverTheChunking() throws {
        let input = Array("EHLO a\r\nMAIL FROM:<a@gov.vn> SIZE=10\r\nRCPT TO:<b@gov.vn>\r\nDATA\r\nQUIT\r\n".utf8)
        let outcomes = ChunkingVerifier.outcomes(of: input) { chunks -> [SMTPCommand] in
            var buffer = ByteQueue()
            var commands: [SMTPCommand] = []
            for chunk in chunks {
                buffer.append(chunk)
                while let command = try? SMTPCommandParser.parse(&buffer, lineLimit: 512) { commands.append(command) }
            }
            return commands
        }
        XCTAssertEqual(outcomes.first?.count, 5)
        for outcome in outcomes { XCTAssertEqual(outcome, outcomes[0]) }
    }
}
