import MailCore
import XCTest
@testable import IMAPProtocol

/// The LIST-EXTENDED selection (RFC 5258) as a pure function of folders and subscriptions; the
/// transcripts cover the dialog, these the cases a transcript cannot set up (a subscription whose
/// folder is gone).
final class ExtendedListTests: XCTestCase {
    func mb(_ s: String) -> MailboxName { try! MailboxName(s) }

    lazy var all = [
        MailboxInfo(name: .inbox), MailboxInfo(name: mb("Fruit"), hasChildren: true),
        MailboxInfo(name: mb("Fruit.Apple")), MailboxInfo(name: mb("Fruit.Banana")),
        MailboxInfo(name: mb("Sent"), specialUse: .sent),
    ]
    // The store's subscription list: a gone folder stands in as not selectable.
    lazy var subscribed = [
        MailboxInfo(name: mb("Sent"), specialUse: .sent), MailboxInfo(name: mb("Vegetable"), selectable: false),
        MailboxInfo(name: mb("Fruit.Banana")), MailboxInfo(name: .inbox),
        MailboxInfo(name: mb("Tofu.Soft"), selectable: false),
    ]

    func wire(_ command: ExtendedListCommand) -> [String] {
        command.lines(all: all, subscribed: subscribed).map {
            IMAPResponse.list($0.entry, lsub: false).description.trimmingCharacters(in: .newlines)
        }
    }

    func testSubscribedSelectionListsGoneSubscriptionsAsNonExistentInFolderOrder() {
        var c = ExtendedListCommand(patterns: ["*"])
        c.selectSubscribed = true
        XCTAssertEqual(
            wire(c),
            [
                #"* LIST (\HasNoChildren \Subscribed) "." INBOX"#,
                #"* LIST (\HasNoChildren \Subscribed) "." Fruit.Banana"#,
                #"* LIST (\HasNoChildren \Sent \Subscribed) "." Sent"#,
                #"* LIST (\NonExistent \Subscribed) "." Vegetable"#,
                #"* LIST (\NonExistent \Subscribed) "." Tofu.Soft"#,
            ])
    }

    func testRecursiveMatchAddsParentsWithChildInfoEvenWhenTheyDoNotExist() {
        var c = ExtendedListCommand(patterns: ["%"])
        c.selectSubscribed = true
        c.recursiveMatch = true
        XCTAssertEqual(
            wire(c),
            [
                #"* LIST (\HasNoChildren \Subscribed) "." INBOX"#,
                #"* LIST (\HasChildren) "." Fruit ("CHILDINFO" ("SUBSCRIBED"))"#,
                #"* LIST (\HasNoChildren \Sent \Subscribed) "." Sent"#,
                #"* LIST (\NonExistent \Subscribed) "." Vegetable"#,
                #"* LIST (\NonExistent) "." Tofu ("CHILDINFO" ("SUBSCRIBED"))"#,
            ])
        c.recursiveMatch = false
        XCTAssertFalse(wire(c).contains { $0.contains("Fruit") }, "without RECURSIVEMATCH hidden parents stay out")
    }

    func testReturnSubscribedMarksOnlyExistingFoldersAndStatusSkipsUnselectable() {
        var c = ExtendedListCommand(patterns: ["Fruit*", "Vegetable"])
        c.returnSubscribed = true
        c.status = [.messages]
        let lines = c.lines(all: all, subscribed: subscribed)
        XCTAssertEqual(lines.map(\.entry.name), ["Fruit", "Fruit.Apple", "Fruit.Banana"])
        XCTAssertEqual(lines.map { $0.entry.attributes.contains("\\Subscribed") }, [false, false, true])
        XCTAssertEqual(lines.map(\.statusOf), [mb("Fruit"), mb("Fruit.Apple"), mb("Fruit.Banana")])
        var special = ExtendedListCommand(patterns: ["*"])
        special.selectSpecialUse = true
        XCTAssertEqual(special.lines(all: all, subscribed: []).map(\.entry.name), ["Sent"])
    }

    func testParsing() throws {
        let parser = IMAPCommandParser()
        func parse(_ s: String) throws -> IMAPCommandKind { try parser.parse(Array(s.utf8)).kind }
        XCTAssertEqual(try parse("a LIST \"\" *\r\n"), .list(reference: "", pattern: "*"))
        var c = ExtendedListCommand(patterns: ["Fruit.%", "Fruit.*x"])
        c.selectSubscribed = true
        c.recursiveMatch = true
        c.returnSubscribed = true
        c.status = [.messages, .unseen]
        XCTAssertEqual(
            try parse(
                "a LIST (subscribed RECURSIVEMATCH) Fruit. (% \"*x\") RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UNSEEN))\r\n"
            ), .listExtended(c))
        XCTAssertThrowsError(try parse("a LIST (REMOTE RECURSIVEMATCH) \"\" *\r\n"))
        XCTAssertThrowsError(try parse("a LIST \"\" * RETURN (STATUS)\r\n"))
        XCTAssertThrowsError(try parse("a LIST \"\" () \r\n"))
    }
}
