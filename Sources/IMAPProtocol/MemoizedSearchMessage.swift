import MailCore

/// A message for one SEARCH evaluation that decodes each header, the header text and the body
/// text at most once, however many keys ask for them: a SEARCH of hundreds of FROM/TO/OR terms
/// costs one decode per message plus cheap substring tests (issue 18: bounded work per command).
/// Lives only inside `finishSearch`, on one thread.
final class MemoizedSearchMessage: SearchableMessage, @unchecked Sendable {
    private let base: any SearchableMessage
    private var headers: [String: [String]] = [:]
    private var header: String?
    private var body: String?

    init(_ base: any SearchableMessage) { self.base = base }

    var uid: UID { base.uid }
    var internalDate: Int64 { base.internalDate }
    var sentDate: IMAPDate? { base.sentDate }
    var size: Int { base.size }

    func headerValues(_ name: String) -> [String] {
        let key = name.lowercased()
        if let v = headers[key] { return v }
        let v = base.headerValues(name)
        headers[key] = v
        return v
    }

    var headerText: String {
        if let header { return header }
        let v = base.headerText
        header = v
        return v
    }

    var bodyText: String {
        if let body { return body }
        let v = base.bodyText
        body = v
        return v
    }
}
