import Foundation
import IMAPTranscriptSupport
import MailCore
import XCTest
@testable import IMAPProtocol

/// Runs every dialog of `Tests/transcripts/imap` against a session and the in-test fake store
/// (GovMailServerTests runs the same dialogs against the real Maildir store).
final class TranscriptTests: XCTestCase {
    func testAllTranscripts() throws {
        for failure in try IMAPTranscriptRunner.runAll(backendName: "fake", makeBackend: { FakeTranscriptBackend() }) {
            XCTFail(failure)
        }
    }
}

/// The fake store as a transcript backend.
final class FakeTranscriptBackend: IMAPTranscriptBackend {
    let store = FakeMailStore()

    func addUser(_ name: String, password: String) { store.users[name] = password }
    func addFolder(_ name: String, specialUse: SpecialUse?, subscribed: Bool) {
        let f = store.folder(name)
        f.specialUse = specialUse
        f.subscribed = subscribed
    }
    func addMessage(_ raw: String, to folder: String, flags: Set<Flag>) {
        store.add(raw, to: folder, flags: flags, isNew: false)
    }
    func deliver(_ raw: String, to folder: String) { store.add(raw, to: folder, isNew: true) }
    func otherAppend(_ raw: String, to folder: String, flags: Set<Flag>) {
        store.add(raw, to: folder, flags: flags, isNew: true)
    }
    func otherFlags(folder: String, uid: UID, flags: Set<Flag>) {
        let f = store.folder(folder)
        if let i = f.messages.firstIndex(where: { $0.uid == uid }) { f.messages[i].flags = flags }
    }
    func otherExpunge(folder: String, uid: UID) { store.folder(folder).messages.removeAll { $0.uid == uid } }
    /// Like the server's store: what changed in the selected folder comes with the answer to every
    /// request but those that look at the folder themselves (NOOP/CHECK, SELECT, CLOSE, STATUS, LIST).
    func answer(_ request: IMAPRequest) -> [IMAPEvent] {
        let event = store.answer(request)
        switch request {
        case .checkMailbox, .select, .closeMailbox, .authenticate, .listMailboxes, .status: return [event]
        default:
            let change = store.changes()
            return change.isEmpty ? [event] : [.mailboxChanged(change), event]
        }
    }
    func changesByOthers() -> MailboxChange? { store.changes() }
}
