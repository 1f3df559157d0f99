import MailCore
@testable import IMAPProtocol

/// A deterministic in-memory store that answers a session's requests, for session tests and
/// transcripts. Changes made "by others" are found by diffing against what the session last saw.
final class FakeMailStore {
    struct Message {
        var uid: UID
        var flags: Set<Flag>
        var bytes: [UInt8]
        var internalDate: Int64
    }

    final class Folder {
        var uidValidity: UInt32
        var uidNext: UInt32 = 1
        var messages: [Message] = []
        var subscribed = true
        var specialUse: SpecialUse?
        init(uidValidity: UInt32) { self.uidValidity = uidValidity }
    }

    /// The mailboxes, shared by every session of the same account (each session has its own store object).
    final class Account {
        var users: [String: String] = [:]
        var folders: [String: Folder] = ["INBOX": Folder(uidValidity: 1)]
        var nextValidity: UInt32 = 2
        var now: Int64 = 1_790_000_000
        /// Messages some session already saw as \Recent (RFC 3501: only one session may).
        var recentClaimed: Set<String> = []
        init() {}
    }

    let account: Account
    var users: [String: String] {
        get { account.users }
        set { account.users = newValue }
    }
    var folders: [String: Folder] {
        get { account.folders }
        set { account.folders = newValue }
    }
    var nextValidity: UInt32 {
        get { account.nextValidity }
        set { account.nextValidity = newValue }
    }
    var now: Int64 {
        get { account.now }
        set { account.now = newValue }
    }
    var selected: String?
    /// What the session was last told about the selected folder.
    var snapshot: [UID: Set<Flag>] = [:]
    var authLog: [(String, String?)] = []

    init(account: Account = Account()) { self.account = account }

    /// Claims \Recent for this session if no other session has seen the message yet.
    func claimRecent(_ uid: UID, in folder: String? = nil) -> Bool {
        account.recentClaimed.insert("\(folder ?? selected ?? "")/\(uid)").inserted
    }

    /// Whether no session has claimed \Recent for the message yet.
    func isUnclaimed(_ uid: UID, in folder: String) -> Bool { !account.recentClaimed.contains("\(folder)/\(uid)") }

    func folder(_ name: String) -> Folder {
        if let f = folders[name] { return f }
        let f = Folder(uidValidity: nextValidity)
        nextValidity += 1
        folders[name] = f
        return f
    }

    @discardableResult
    /// Adds a message; `isNew` false means an earlier session already saw it (so it is not \Recent).
    func add(_ raw: String, to name: String, flags: Set<Flag> = [], isNew: Bool = false) -> UID {
        let f = folder(name)
        let uid = UID(f.uidNext)
        if !isNew { _ = claimRecent(uid, in: name) }
        f.uidNext += 1
        now += 60
        f.messages.append(Message(uid: uid, flags: flags, bytes: Array(raw.utf8), internalDate: now))
        return uid
    }

    /// The change since the session's snapshot; new messages count as \Recent for it.
    func changes() -> MailboxChange {
        guard let name = selected, let f = folders[name] else { return MailboxChange() }
        var change = MailboxChange()
        let current = Dictionary(uniqueKeysWithValues: f.messages.map { ($0.uid, $0.flags) })
        for m in f.messages {
            if let old = snapshot[m.uid] {
                if old != m.flags { change.flagChanges[m.uid] = m.flags }
            } else {
                change.added.append(AddedMessage(uid: m.uid, flags: m.flags, isRecent: claimRecent(m.uid)))
            }
        }
        change.expunged = snapshot.keys.filter { current[$0] == nil }.sorted()
        snapshot = current
        return change
    }

    func answer(_ request: IMAPRequest) -> IMAPEvent {
        switch request {
        case .authenticate(let user, let password, _, let client):
            authLog.append((user, client))
            return .authenticated(users[user] == password.unsafeText ? .success(account: user) : .invalidCredentials)
        case .listMailboxes(let subscribedOnly):
            let names = folders.keys.sorted()
            return .mailboxes(
                names.compactMap { n in
                    let f = folders[n]!
                    if subscribedOnly && !f.subscribed { return nil }
                    let children = names.contains { $0.hasPrefix(n + ".") }
                    return MailboxInfo(name: try! MailboxName(n), specialUse: f.specialUse, hasChildren: children)
                })
        case .select(let name, let readOnly):
            guard let f = folders[name.name] else { return .failed(.nonexistent(name)) }
            selected = name.name
            snapshot = Dictionary(uniqueKeysWithValues: f.messages.map { ($0.uid, $0.flags) })
            // Messages nobody has seen yet become \Recent here; EXAMINE shows them without claiming them.
            let recent = Set(
                f.messages.map(\.uid).filter { readOnly ? isUnclaimed($0, in: name.name) : claimRecent($0) })
            return .selected(
                SelectedMailboxState(
                    uidValidity: f.uidValidity, uidNext: UID(f.uidNext),
                    messages: f.messages.map { MessageFlags($0.uid, $0.flags) }, recent: recent))
        case .status(let name):
            guard let f = folders[name.name] else { return .failed(.nonexistent(name)) }
            return .status(
                MailboxStatus(
                    messages: f.messages.count, recent: f.messages.filter { isUnclaimed($0.uid, in: name.name) }.count,
                    uidNext: UID(f.uidNext),
                    uidValidity: f.uidValidity, unseen: f.messages.filter { !$0.flags.contains(.seen) }.count))
        case .create(let name):
            if folders[name.name] != nil { return .failed(.alreadyExists(name)) }
            _ = folder(name.name)
            return .done
        case .delete(let name):
            guard folders.removeValue(forKey: name.name) != nil else { return .failed(.nonexistent(name)) }
            return .done
        case .rename(let from, let to):
            guard let f = folders[from.name] else { return .failed(.nonexistent(from)) }
            if folders[to.name] != nil { return .failed(.alreadyExists(to)) }
            if from.isInbox {
                // RFC 3501 §6.3.5: the messages move (new UIDs), INBOX stays and is empty.
                for m in f.messages {
                    add(String(decoding: m.bytes, as: UTF8.self), to: to.name, flags: m.flags, isNew: true)
                }
                f.messages = []
                return .done
            }
            folders[from.name] = nil
            folders[to.name] = f
            return .done
        case .unsubscribe(let name) where folders[name.name] == nil:
            return .done  // a subscription may outlive its folder; removing it always works
        case .subscribe(let name), .unsubscribe(let name):
            guard let f = folders[name.name] else { return .failed(.nonexistent(name)) }
            if case .subscribe = request { f.subscribed = true } else { f.subscribed = false }
            return .done
        case .append(let name, let flags, _, let message):
            guard let f = folders[name.name] else { return .failed(.nonexistent(name)) }
            let uid = add(String(decoding: message, as: UTF8.self), to: name.name, flags: Set(flags), isNew: true)
            return .appended(uidValidity: f.uidValidity, uid: uid)
        case .fetch(let uids, let attributes, let markSeen):
            guard let f = folders[selected ?? ""] else { return .failed(.unavailable) }
            var out: [FetchedMessage] = []
            for uid in uids {
                guard let i = f.messages.firstIndex(where: { $0.uid == uid }) else { continue }
                var updated: Set<Flag>?
                if markSeen.contains(uid) {
                    f.messages[i].flags.insert(.seen)
                    updated = f.messages[i].flags
                    snapshot[uid] = f.messages[i].flags
                }
                let m = f.messages[i]
                var fm = FetchedMessage(
                    uid: uid, internalDate: IMAPDateTime(epochSeconds: m.internalDate, zoneMinutes: 420),
                    size: m.bytes.count, envelope: Self.envelope(m.bytes),
                    bodyStructure: Self.body(m.bytes), updatedFlags: updated)
                for a in attributes {
                    if let s = a.section, let data = Self.section(s, of: m.bytes) { fm.sections[s] = data }
                }
                out.append(fm)
            }
            return .fetched(out)
        case .searchData(let uids):
            guard let f = folders[selected ?? ""] else { return .failed(.unavailable) }
            return .searchData(f.messages.filter { uids.contains($0.uid) }.map { FakeSearchable(message: $0) })
        case .store(let uids, let op):
            guard let f = folders[selected ?? ""] else { return .failed(.unavailable) }
            var result: [UID: Set<Flag>] = [:]
            for i in f.messages.indices where uids.contains(f.messages[i].uid) {
                f.messages[i].flags = op.applied(to: f.messages[i].flags)
                result[f.messages[i].uid] = f.messages[i].flags
                snapshot[f.messages[i].uid] = f.messages[i].flags
            }
            return .stored(result)
        case .copy(let uids, let to), .move(let uids, let to):
            guard let src = folders[selected ?? ""] else { return .failed(.unavailable) }
            guard let dst = folders[to.name] else { return .failed(.nonexistent(to)) }
            var pairs: [UIDPair] = []
            for m in src.messages where uids.contains(m.uid) {
                let uid = add(String(decoding: m.bytes, as: UTF8.self), to: to.name, flags: m.flags, isNew: true)
                pairs.append(UIDPair(m.uid, uid))
            }
            if case .move = request {
                src.messages.removeAll { uids.contains($0.uid) }
                for p in pairs { snapshot[p.source] = nil }
            }
            return .copied(uidValidity: dst.uidValidity, pairs)
        case .expunge(let only):
            guard let f = folders[selected ?? ""] else { return .failed(.unavailable) }
            let gone = f.messages.filter { $0.flags.contains(.deleted) && (only?.contains($0.uid) ?? true) }.map(\.uid)
            f.messages.removeAll { gone.contains($0.uid) }
            for u in gone { snapshot[u] = nil }
            return .expunged(gone)
        case .checkMailbox:
            return .mailboxChanged(changes())
        case .closeMailbox(let expunge):
            if expunge, let f = folders[selected ?? ""] {
                let gone = f.messages.filter { $0.flags.contains(.deleted) }.map(\.uid)
                f.messages.removeAll { gone.contains($0.uid) }
                selected = nil
                return .expunged(gone)
            }
            selected = nil
            return .done
        }
    }

    // MARK: - A tiny message reader, enough for tests (the real one is MessageFormat's).

    static func split(_ bytes: [UInt8]) -> (header: [UInt8], body: [UInt8]) {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var i = 0
        while i + 4 <= bytes.count {
            if Array(bytes[i..<(i + 4)]) == crlf2 { return (Array(bytes[..<(i + 4)]), Array(bytes[(i + 4)...])) }
            i += 1
        }
        return (bytes, [])
    }

    static func headerLines(_ bytes: [UInt8]) -> [(name: String, line: String)] {
        let text = String(decoding: split(bytes).header, as: UTF8.self)
        return text.split(separator: "\r\n").compactMap { l in
            guard let c = l.firstIndex(of: ":") else { return nil }
            return (String(l[..<c]), String(l))
        }
    }

    static func header(_ name: String, _ bytes: [UInt8]) -> String? {
        headerLines(bytes).first { $0.name.lowercased() == name.lowercased() }.map {
            String($0.line.dropFirst($0.name.count + 1).drop(while: { $0 == " " }))
        }
    }

    static func section(_ s: IMAPSection, of bytes: [UInt8]) -> [UInt8]? {
        let (h, b) = split(bytes)
        guard s.part.isEmpty || s.part == [1] else { return nil }
        switch s.text {
        case nil: return s.part.isEmpty ? bytes : b
        case .header?: return h
        case .text?: return b
        case .mime?: return nil
        case .headerFields(let names)?, .headerFieldsNot(let names)?:
            let keep: Bool
            if case .headerFields = s.text! { keep = true } else { keep = false }
            let lower = Set(names.map { $0.lowercased() })
            let lines = headerLines(bytes).filter { lower.contains($0.name.lowercased()) == keep }
            return Array((lines.map { $0.line + "\r\n" }.joined() + "\r\n").utf8)
        }
    }

    static func address(_ text: String?) -> [IMAPAddress] {
        guard let text else { return [] }
        var name: String?
        var addr = text
        if let lt = text.firstIndex(of: "<"), let gt = text.firstIndex(of: ">") {
            name = String(text[..<lt]).trimmingSpaces
            addr = String(text[text.index(after: lt)..<gt])
        }
        let parts = addr.split(separator: "@").map(String.init)
        return [
            IMAPAddress(
                name: name?.isEmpty == true ? nil : name, mailbox: parts.first, host: parts.count > 1 ? parts[1] : nil)
        ]
    }

    static func envelope(_ bytes: [UInt8]) -> IMAPEnvelope {
        let from = address(header("From", bytes))
        return IMAPEnvelope(
            date: header("Date", bytes), subject: header("Subject", bytes), from: from, sender: from,
            replyTo: from, to: address(header("To", bytes)), cc: address(header("Cc", bytes)),
            messageID: header("Message-ID", bytes))
    }

    static func body(_ bytes: [UInt8]) -> IMAPBodyStructure {
        let b = split(bytes).body
        let lines = b.filter { $0 == 10 }.count
        return .single(
            IMAPSinglePart(
                type: "TEXT", subtype: "PLAIN", parameters: IMAPParameters([IMAPParameterPair("CHARSET", "us-ascii")]),
                octets: b.count, kind: .text(lines: lines)))
    }
}

struct FakeSearchable: SearchableMessage {
    let message: FakeMailStore.Message
    var uid: UID { message.uid }
    var internalDate: Int64 { message.internalDate }
    var sentDate: IMAPDate? { nil }
    var size: Int { message.bytes.count }
    func headerValues(_ name: String) -> [String] {
        FakeMailStore.headerLines(message.bytes).filter { $0.name.lowercased() == name.lowercased() }
            .map { String($0.line.dropFirst($0.name.count + 1).drop(while: { $0 == " " })) }
    }
    var headerText: String { String(decoding: FakeMailStore.split(message.bytes).header, as: UTF8.self) }
    var bodyText: String { String(decoding: FakeMailStore.split(message.bytes).body, as: UTF8.self) }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
