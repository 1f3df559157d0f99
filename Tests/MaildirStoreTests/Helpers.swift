import Foundation
import GovMailTestSupport
import MailCore
@testable import MaildirStore
import Synchronization
import XCTest

/// The committed fixtures, copied into a temporary folder before each use.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("maildir-fixtures").path

    /// Copies `maildir-fixtures/<name>` to `<tmp>/<name>` and returns the copy's path.
    static func copy(_ name: String, into dir: TemporaryDirectory) throws -> String {
        let target = dir.file(name)
        try FileManager.default.copyItem(atPath: root + "/" + name, toPath: target)
        return target
    }
}

/// File operations that fail one chosen step with a chosen errno, otherwise pass through.
final class FaultyFileOperations: FileOperations, Sendable {
    enum Step: CaseIterable, Sendable {
        case createExclusive, openAppend, write, setTime, fsync, link, rename, fsyncDirectory
    }
    private let real = POSIXFileOperations()
    private let fault = Mutex<(step: Step, code: Int32, pathContains: String, partial: Bool)?>(nil)
    let calls = Mutex<[Step]>([])

    /// Makes `step` fail with `code` (on paths containing `pathContains`); a `partial` write writes half first.
    func fail(_ step: Step?, _ code: Int32 = ENOSPC, pathContains: String = "", partial: Bool = false) {
        fault.withLock { $0 = step.map { ($0, code, pathContains, partial) } }
    }

    private func check(_ step: Step, _ path: String) throws {
        calls.withLock { $0.append(step) }
        if let f = fault.withLock({ $0 }), f.step == step, f.pathContains.isEmpty || path.contains(f.pathContains) {
            throw SystemCallError("\(step)", path, f.code)
        }
    }

    func createExclusive(_ path: String) throws -> Int32 {
        try check(.createExclusive, path); return try real.createExclusive(path)
    }
    func openAppend(_ path: String) throws -> Int32 { try check(.openAppend, path); return try real.openAppend(path) }
    func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        if let f = fault.withLock({ $0 }), f.step == .write, f.partial, path.contains(f.pathContains) {
            try real.write(fd, Array(bytes.prefix(bytes.count / 2)), path: path)
        }
        try check(.write, path)
        try real.write(fd, bytes, path: path)
    }
    func fsync(_ fd: Int32, path: String) throws { try check(.fsync, path); try real.fsync(fd, path: path) }
    func setModificationTime(_ fd: Int32, seconds: Int, path: String) throws {
        try check(.setTime, path); try real.setModificationTime(fd, seconds: seconds, path: path)
    }
    func close(_ fd: Int32) { real.close(fd) }
    func link(_ from: String, _ to: String) throws { try check(.link, to); try real.link(from, to) }
    func rename(_ from: String, _ to: String) throws { try check(.rename, to); try real.rename(from, to) }
    func unlink(_ path: String) throws { try real.unlink(path) }
    func fsyncDirectory(_ path: String) throws { try check(.fsyncDirectory, path); try real.fsyncDirectory(path) }
}

/// Message files (not hidden) in a folder's sub-directory.
func files(_ folder: String, _ sub: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + sub)) ?? []).filter { !$0.hasPrefix(".") }
        .sorted()
}

func makeMaildir(_ dir: TemporaryDirectory, _ name: String = "INBOX") throws -> String {
    let path = dir.file(name)
    try MaildirLayout.createMaildir(at: path, isSubfolder: false)
    return path
}

func message(_ text: String) -> [UInt8] {
    Array("From: a@example.gov.vn\r\nSubject: \(text)\r\n\r\n\(text)\r\n".utf8)
}

func uidListText(_ folder: String) -> String {
    (try? String(contentsOfFile: folder + "/dovecot-uidlist", encoding: .utf8)) ?? ""
}
