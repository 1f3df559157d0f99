import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

final class MaildirDeliveryTests: XCTestCase {
    func testManyRecipientsShareOneInodeButHaveTheirOwnNamesAndFlags() throws {
        let dir = TemporaryDirectory()
        let roots = try (0..<5).map { try makeMaildir(dir, "staff\($0)") }
        let body = message("Thông báo toàn tỉnh")
        let paths = try MaildirDelivery().deliver(body, to: roots.map { .init(accountRoot: $0) })
        XCTAssertEqual(paths.count, 5)
        XCTAssertEqual(Set(paths.map { DurableWriter.fileName(of: $0) }).count, 5, "every recipient has its own name")
        let inodes = Set(
            try paths.map { try FileManager.default.attributesOfItem(atPath: $0)[.systemFileNumber] as! Int })
        XCTAssertEqual(inodes.count, 1, "one copy on disk, hard-linked")
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: paths[0])[.referenceCount] as? Int, 5,
            "the temporary name is gone")
        for (i, root) in roots.enumerated() {
            XCTAssertEqual(files(root, "tmp"), [])
            XCTAssertTrue(paths[i].hasPrefix(root + "/new/"))
            XCTAssertTrue(paths[i].hasSuffix(",S=\(body.count)"))
        }
        let first = MaildirFolder(path: roots[0], accountRoot: nil)
        _ = try first.synchronize()
        try first.changeFlags([1], .add([.seen]))
        XCTAssertEqual(try MaildirFolder(path: roots[1], accountRoot: nil).synchronize().messages.first?.flags, [])
        XCTAssertEqual(try first.read(1), body)
    }

    func testDeliveryToAMissingFolderFailsCleanly() throws {
        let dir = TemporaryDirectory()
        let good = try makeMaildir(dir, "good")
        XCTAssertThrowsError(
            try MaildirDelivery().deliver(
                message("x"),
                to: [
                    .init(accountRoot: good),
                    .init(accountRoot: dir.file("missing")),
                ]))
        XCTAssertEqual(files(good, "new"), [], "all recipients or none")
        XCTAssertEqual(files(good, "tmp"), [])
    }
}
