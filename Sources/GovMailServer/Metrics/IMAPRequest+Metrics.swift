import IMAPProtocol

extension IMAPRequest {
    /// The verb label for `govmail_imap_commands_total`: a closed set, never client text.
    var metricVerb: String {
        switch self {
        case .authenticate: "login"
        case .listMailboxes(let subscribedOnly): subscribedOnly ? "lsub" : "list"
        case .select(_, let readOnly): readOnly ? "examine" : "select"
        case .status: "status"
        case .create: "create"
        case .delete: "delete"
        case .rename: "rename"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        case .append: "append"
        case .fetch: "fetch"
        case .searchData: "search"
        case .store: "store"
        case .copy: "copy"
        case .move: "move"
        case .expunge: "expunge"
        case .checkMailbox: "check"
        case .closeMailbox: "close"
        }
    }
}
