import MailCore

/// Finishing each command once its request was answered.
extension IMAPSession {
    mutating func finish(_ p: Pending, _ event: IMAPEvent, _ out: inout [IMAPAction]) {
        let tag = p.tag
        if case .failed(var failure) = event {
            switch p {
            case .append, .copy:
                if case .nonexistent(let n) = failure { failure = .tryCreate(n) }
            case .select:
                selection = nil
                state = .authenticated
            default: break
            }
            flushUpdates(allowExpunge: !p.holdsExpunges, &out)
            out.append(.send(failure.response(tag: tag)))
            return
        }
        switch (p, event) {
        case (.authenticate, .authenticated(let result)):
            switch result {
            case .success:
                state = .authenticated
                out.append(.send(.tagged(tag, .ok, .capability(capabilities), "Logged in")))
            case .invalidCredentials, .throttled:
                authFailures += 1
                out.append(
                    .send(
                        .tagged(
                            tag, .no, .authenticationFailed,
                            "Invalid user name or password, or too many attempts; check them, wait a minute and try again"
                        )))
                if authFailures >= configuration.limits.authenticationFailures {
                    state = .logout
                    out.append(.send(.untagged(.bye, nil, "Too many failed logins; closing")))
                    out.append(.close)
                }
            case .unavailable:
                out.append(
                    .send(
                        .tagged(tag, .no, .unavailable, "Login is temporarily unavailable; try again in a few minutes"))
                )
            }
        case (.list(_, let pattern, let lsub), .mailboxes(let boxes)):
            let compiled = ListPattern(pattern)
            var matching = boxes.filter { compiled.matches($0.name.name) }
            if lsub { matching = Self.withUnsubscribedParents(matching, subscribed: boxes, pattern: pattern) }
            let ordered = matching.filter { $0.name.isInbox } + matching.filter { !$0.name.isInbox }
            for box in ordered {
                var attrs: [String] = []
                if !box.selectable { attrs.append("\\Noselect") }
                attrs.append(box.hasChildren ? "\\HasChildren" : "\\HasNoChildren")
                if let use = box.specialUse { attrs.append(use.rawValue) }
                out.append(.send(.list(ListEntry(attributes: attrs, name: box.name.name), lsub: lsub)))
            }
            complete(tag, .ok, nil, "\(lsub ? "LSUB" : "LIST") completed", &out)
        case (.select(_, let name, let readOnly), .selected(let st)):
            let view = SelectedMailboxView(messages: st.messages.map { ($0.uid, $0.flags) }, recent: st.recent)
            selection = Selection(name: name, view: view, readOnly: readOnly, uidValidity: st.uidValidity)
            state = .selected
            announcedKeywords = Set(view.keywords)
            out += flagsAnnouncement().map { .send($0) }
            out.append(.send(.exists(view.count)))
            out.append(.send(.recent(view.recentCount)))
            if let first = view.uids.firstIndex(where: { !view.flags(of: $0).contains(.seen) }) {
                out.append(.send(.untagged(.ok, .unseen(UInt32(first + 1)), "First unseen message")))
            }
            out.append(.send(.untagged(.ok, .uidValidity(st.uidValidity), "UIDs valid")))
            out.append(.send(.untagged(.ok, .uidNext(st.uidNext.value), "Predicted next UID")))
            out.append(
                .send(
                    .tagged(tag, .ok, readOnly ? .readOnly : .readWrite, "\(readOnly ? "EXAMINE" : "SELECT") completed")
                ))
        case (.status(_, let name, let items), .status(let s)):
            let values: [(StatusItem, UInt32)] = items.map { item in
                switch item {
                case .messages: return (item, UInt32(clamping: s.messages))
                case .recent: return (item, UInt32(clamping: s.recent))
                case .uidNext: return (item, s.uidNext.value)
                case .uidValidity: return (item, s.uidValidity)
                case .unseen: return (item, UInt32(clamping: s.unseen))
                }
            }
            out.append(.send(.status(name, values)))
            complete(tag, .ok, nil, "STATUS completed", &out)
        case (.simple(_, let verb), .done):
            complete(tag, .ok, nil, "\(verb.rawValue) completed", &out)
        case (.append, .appended(let validity, let uid)):
            complete(tag, .ok, .appendUID(uidValidity: validity, uid: uid), "APPEND completed", &out)
        case (.fetch(_, let targets, let attributes, let uid), .fetched(let messages)):
            finishFetch(tag: tag, targets: targets, attributes: attributes, uid: uid, fetched: messages, &out)
        case (.search(_, let key, let targets, let uid), .searchData(let data)):
            finishSearch(tag: tag, key: key, targets: targets, uid: uid, data: data, &out)
        case (.store(_, let targets, let op, let uid), .stored(let result)):
            for (seq, u) in targets {
                guard let flags = result[u] else { continue }
                selection?.view.setFlags(flags, for: u)
                if !op.silent, let view = selection?.view {
                    var items: [FetchResponseItem] = [.flags(view.fetchFlags(of: u))]
                    if uid { items.insert(.uid(u), at: 0) }
                    out.append(.send(.fetch(seq, items)))
                }
            }
            complete(tag, .ok, nil, "STORE completed", holdExpunges: !uid, &out)
        case (.copy(_, _, let move), .copied(let validity, let pairs)):
            let code: IMAPResponseCode? =
                pairs.isEmpty
                ? nil
                : .copyUID(
                    uidValidity: validity, source: SequenceSet(numbers: pairs.map(\.source.value)),
                    destination: SequenceSet(numbers: pairs.map(\.destination.value)))
            if move {
                // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
                if let code { out.append(.send(.untagged(.ok, code, "Moved"))) }
                selection?.view.apply(MailboxChange(expunged: pairs.map(\.source)))
                complete(tag, .ok, nil, "MOVE completed", &out)
            } else {
                complete(tag, .ok, code, "COPY completed", holdExpunges: p.holdsExpunges, &out)
            }
        case (.expunge, .expunged(let uids)):
            selection?.view.apply(MailboxChange(expunged: uids))
            complete(tag, .ok, nil, "EXPUNGE completed", &out)
        case (.check(_, let verb), .mailboxChanged(let change)):
            selection?.view.apply(change)
            complete(tag, .ok, nil, "\(verb.rawValue) completed", &out)
        case (.close, .done), (.close, .expunged):
            // CLOSE expunges silently (RFC 3501 §6.4.2).
            selection = nil
            state = .authenticated
            out.append(.send(.tagged(tag, .ok, nil, "CLOSE completed")))
        default:
            flushUpdates(allowExpunge: !p.holdsExpunges, &out)
            out.append(
                .send(
                    .tagged(
                        tag, .no, .serverBug,
                        "Internal error; try again, and tell your mail administrator if it persists")))
        }
    }

    mutating func finishSearch(
        tag: String, key: SearchKey, targets: [(Int, UID)], uid: Bool,
        data: [any SearchableMessage], _ out: inout [IMAPAction]
    ) {
        guard let view = selection?.view else { return }
        var byUID: [UID: any SearchableMessage] = [:]
        for m in data { byUID[m.uid] = MemoizedSearchMessage(m) }
        let largestSeq = UInt32(view.count), largestUID = view.uids.last?.value ?? 0
        var found: [UInt32] = []
        for (seq, u) in targets {
            let context = SearchContext(
                sequenceNumber: seq, flags: view.flags(of: u), isRecent: view.isRecent(u),
                largestSequenceNumber: largestSeq, largestUID: largestUID,
                zoneOffsetSeconds: configuration.zoneOffsetSeconds)
            if SearchEvaluator.matches(key, message: byUID[u], uid: u, context: context) {
                found.append(uid ? u.value : UInt32(seq))
            }
        }
        out.append(.send(.search(found)))
        complete(tag, .ok, nil, "SEARCH completed", holdExpunges: !uid, &out)
    }

    mutating func finishFetch(
        tag: String, targets: [(Int, UID)], attributes: [FetchAttribute], uid: Bool,
        fetched: [FetchedMessage]?, _ out: inout [IMAPAction]
    ) {
        var byUID: [UID: FetchedMessage] = [:]
        for m in fetched ?? [] { byUID[m.uid] = m }
        var missing = false
        for (seq, u) in targets {
            let m = byUID[u]
            if fetched != nil && m == nil {
                missing = true
                continue
            }
            var flagsChanged = false
            if let f = m?.updatedFlags {
                selection?.view.setFlags(f, for: u)
                flagsChanged = true
            }
            guard let view = selection?.view else { return }
            var items: [FetchResponseItem] = []
            if uid && !attributes.contains(.uid) { items.append(.uid(u)) }
            for a in attributes {
                switch a {
                case .flags: items.append(.flags(view.fetchFlags(of: u)))
                case .uid: items.append(.uid(u))
                case .internalDate: if let d = m?.internalDate { items.append(.internalDate(d)) }
                case .rfc822Size: if let s = m?.size { items.append(.rfc822Size(s)) }
                case .envelope: items.append(.envelope(m?.envelope ?? IMAPEnvelope()))
                case .bodyStructure: items.append(.bodyStructure(m?.bodyStructure ?? Self.fallbackBody(size: m?.size)))
                case .bodyBasic: items.append(.body(m?.bodyStructure ?? Self.fallbackBody(size: m?.size)))
                case .body(let section, _, let partial):
                    // A part that does not exist is an empty string, as Dovecot sends it (RFC 3501
                    // §6.4.5 leaves it open); NIL only when the message could not be read at all.
                    let data = m.map { Self.slice($0.sections[section] ?? [], partial) }
                    items.append(.bodySection(section, origin: partial?.origin, data: data))
                case .rfc822: items.append(.rfc822(m?.sections[IMAPSection()]))
                case .rfc822Header: items.append(.rfc822Header(m?.sections[IMAPSection(text: .header)]))
                case .rfc822Text: items.append(.rfc822Text(m?.sections[IMAPSection(text: .text)]))
                }
            }
            // RFC 3501 §6.4.5: \Seen set as a side effect is reported with the data.
            if flagsChanged && !attributes.contains(.flags) { items.append(.flags(view.fetchFlags(of: u))) }
            out.append(.send(.fetch(seq, items)))
        }
        if missing {
            // RFC 2180 §4.1.3 as Dovecot does it: what can still be read was sent; messages that
            // another session expunged and that are no longer readable are left out, and the
            // client learns why from the code (RFC 5530) — never a NO for messages it can see.
            complete(
                tag, .ok, .expungeIssued,
                "FETCH completed; some messages were expunged by another session and are no longer available",
                holdExpunges: !uid, &out)
        } else {
            complete(tag, .ok, nil, "FETCH completed", holdExpunges: !uid, &out)
        }
    }

    /// `<origin.count>` of a section (RFC 3501 §6.4.5): past the end is empty.
    static func slice(_ data: [UInt8], _ partial: IMAPPartial?) -> [UInt8] {
        guard let partial else { return data }
        let start = Int(partial.origin)
        guard start < data.count else { return [] }
        return Array(data[start..<min(data.count, start + Int(partial.count))])
    }

    /// When the store could not parse a message, describe it as one text/plain part rather than fail.
    static func fallbackBody(size: Int?) -> IMAPBodyStructure {
        .single(
            IMAPSinglePart(
                type: "TEXT", subtype: "PLAIN", parameters: IMAPParameters([IMAPParameterPair("CHARSET", "US-ASCII")]),
                octets: size ?? 0, kind: .text(lines: 0)))
    }

    /// LSUB: a subscribed folder hidden by `%` shows as its matching parent, `\Noselect` when that
    /// parent is not subscribed itself (RFC 3501 §6.3.9), placed where its first such child stood.
    static func withUnsubscribedParents(_ matching: [MailboxInfo], subscribed: [MailboxInfo], pattern: String)
        -> [MailboxInfo]
    {
        let compiled = ListPattern(pattern)
        let subscribedNames = Set(subscribed.map(\.name))
        var shown = Set(matching.map(\.name))  // a parent is shown once, and never beside itself
        var out: [MailboxInfo] = []
        for box in subscribed {
            if compiled.matches(box.name.name) {
                out.append(box)
                continue
            }
            var parent = box.name.parent
            while let p = parent {
                if !subscribedNames.contains(p), !shown.contains(p), compiled.matches(p.name) {
                    shown.insert(p)
                    out.append(MailboxInfo(name: p, hasChildren: true, selectable: false))
                }
                parent = p.parent
            }
        }
        return out
    }

    /// LIST wildcard match (see `ListPattern`, which compiles the pattern once for many names).
    public static func matches(name: String, pattern: String) -> Bool { ListPattern(pattern).matches(name) }
}

extension IMAPSession.Pending {
    var tag: String {
        switch self {
        case .tls: return "*"
        case .authenticate(let t), .list(let t, _, _), .select(let t, _, _), .status(let t, _, _), .simple(let t, _),
            .append(let t, _), .fetch(let t, _, _, _), .search(let t, _, _, _), .store(let t, _, _, _),
            .copy(let t, _, _),
            .expunge(let t), .check(let t, _), .close(let t):
            return t
        }
    }

    /// Whether this command addresses messages by sequence number (RFC 3501 §7.4.1).
    var holdsExpunges: Bool {
        switch self {
        case .fetch(_, _, _, let uid), .search(_, _, _, let uid), .store(_, _, _, let uid): return !uid
        default: return false
        }
    }
}
