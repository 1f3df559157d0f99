import MailCore

/// A LIST with selection or return options, or several patterns (RFC 5258 LIST-EXTENDED,
/// RFC 5819 LIST-STATUS). A LIST without any of them stays `IMAPCommandKind.list`.
public struct ExtendedListCommand: Sendable, Equatable {
    /// `reference + pattern` for each pattern, decoded from modified UTF-7.
    public var patterns: [String]
    /// Selection option SUBSCRIBED: list subscriptions, existing or not, instead of folders.
    public var selectSubscribed = false
    /// Selection option RECURSIVEMATCH: also list matching parents of matching subscriptions,
    /// with `CHILDINFO ("SUBSCRIBED")`.
    public var recursiveMatch = false
    /// Selection option SPECIAL-USE (RFC 6154 §3): only folders with a special use.
    public var selectSpecialUse = false
    /// Return option SUBSCRIBED: mark subscribed folders `\Subscribed`.
    public var returnSubscribed = false
    /// Return option STATUS (RFC 5819): a `* STATUS` after each selectable folder's `* LIST`.
    public var status: [StatusItem]?

    public init(patterns: [String]) { self.patterns = patterns }

    /// Whether the listing needs the subscriptions besides the folders.
    var needsSubscriptions: Bool { selectSubscribed || returnSubscribed }
}

/// One line of an extended LIST answer, and the folder whose STATUS follows it (LIST-STATUS).
struct ExtendedListLine: Sendable {
    var entry: ListEntry
    var statusOf: MailboxName?
}

extension ExtendedListCommand {
    /// The lines to send, INBOX first then in the store's order, as plain LIST does.
    /// `subscribed` is the subscription list (existing or not), `all` every folder.
    func lines(all: [MailboxInfo], subscribed: [MailboxInfo]) -> [ExtendedListLine] {
        let compiled = patterns.map { ListPattern($0) }
        func matches(_ name: MailboxName) -> Bool { compiled.contains { $0.matches(name.name) } }
        let existing = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let subscribedNames = Set(subscribed.map(\.name))

        var candidates: [MailboxInfo] = []
        if selectSubscribed {
            var listed = Set<MailboxName>()
            for sub in subscribed {
                if matches(sub.name), listed.insert(sub.name).inserted { candidates.append(existing[sub.name] ?? sub) }
                guard recursiveMatch else { continue }
                var parent = sub.name.parent
                while let p = parent {
                    if matches(p), listed.insert(p).inserted {
                        candidates.append(existing[p] ?? MailboxInfo(name: p, hasChildren: true, selectable: false))
                    }
                    parent = p.parent
                }
            }
        } else {
            candidates = all.filter { matches($0.name) }
        }
        if selectSpecialUse { candidates = candidates.filter { $0.specialUse != nil } }
        // The folders' order whatever the subscriptions file's is; gone subscriptions last.
        let rank = Dictionary(all.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let sorted = candidates.enumerated().sorted { a, b in
            (rank[a.element.name] ?? all.count + a.offset) < (rank[b.element.name] ?? all.count + b.offset)
        }.map(\.element)
        let ordered = sorted.filter { $0.name.isInbox } + sorted.filter { !$0.name.isInbox }

        return ordered.map { box in
            let exists = existing[box.name] != nil
            var attrs: [String] = []
            if !exists {
                attrs.append("\\NonExistent")  // implies \Noselect (RFC 5258 §3.4)
            } else {
                if !box.selectable { attrs.append("\\Noselect") }
                attrs.append(box.hasChildren ? "\\HasChildren" : "\\HasNoChildren")
                if let use = box.specialUse { attrs.append(use.rawValue) }
            }
            let isSubscribed = subscribedNames.contains(box.name)
            if isSubscribed && needsSubscriptions { attrs.append("\\Subscribed") }
            var entry = ListEntry(attributes: attrs, name: box.name.name)
            // RFC 5258 §3.5: a listed folder with a subscribed descendant that the pattern hid.
            if recursiveMatch {
                entry.childInfoSubscribed = subscribed.contains { sub in
                    sub.name != box.name && sub.name.isWithin(box.name) && !matches(sub.name)
                }
            }
            let wantsStatus = status != nil && exists && box.selectable
            return ExtendedListLine(entry: entry, statusOf: wantsStatus ? box.name : nil)
        }
    }
}
