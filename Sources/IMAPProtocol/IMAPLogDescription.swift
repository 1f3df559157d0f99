/// Log-safe one-line summaries: no passwords, no message bodies, no header text (STYLE.md "redacting encoder").
extension IMAPCommand {
    /// The tag and verb only; arguments can hold passwords, search text or whole messages.
    public var logDescription: String { "\(tag) \(kind.verb.rawValue)" }
}

extension IMAPRequest {
    /// The request's kind and sizes, never credentials or message bytes.
    public var logDescription: String {
        switch self {
        case .authenticate(let user, _, _, let client): return "authenticate \(user) client=\(client ?? "-")"
        case .listMailboxes(let subscribed): return "list subscribedOnly=\(subscribed)"
        case .select(let name, let readOnly): return "select \(name) readOnly=\(readOnly)"
        case .status(let name): return "status \(name)"
        case .quota(let mailbox): return "quota \(mailbox.map(\.description) ?? "-")"
        case .create(let name): return "create \(name)"
        case .delete(let name): return "delete \(name)"
        case .rename(let from, let to): return "rename \(from) \(to)"
        case .subscribe(let name): return "subscribe \(name)"
        case .unsubscribe(let name): return "unsubscribe \(name)"
        case .append(let name, _, _, let message): return "append \(name) \(message.count) bytes"
        case .appendAll(let name, let messages):
            return "appendAll \(name) \(messages.count) messages \(messages.reduce(0) { $0 + $1.message.count }) bytes"
        case .fetch(let uids, let attributes, let markSeen):
            return "fetch \(uids.count) messages, \(attributes.count) items, markSeen \(markSeen.count)"
        case .searchData(let uids): return "searchData \(uids.count) messages"
        case .store(let uids, let op): return "store \(uids.count) messages \(op.mode)"
        case .copy(let uids, let to): return "copy \(uids.count) messages to \(to)"
        case .move(let uids, let to): return "move \(uids.count) messages to \(to)"
        case .expunge(let uids): return "expunge \(uids.map { "\($0.count) messages" } ?? "all deleted")"
        case .checkMailbox: return "checkMailbox"
        case .closeMailbox(let expunge): return "closeMailbox expunge=\(expunge)"
        }
    }
}

extension IMAPResponse {
    /// The wire form, except FETCH data (bodies, envelopes) which is summarised.
    public var logDescription: String {
        if case .fetch(let seq, let items) = self { return "* \(seq) FETCH (\(items.count) items)" }
        return String(description.dropLast())  // "\r\n" is one Character
    }
}
