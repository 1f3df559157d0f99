import MailCore

/// Starting each command: checks that need no outside work happen here; the rest become requests.
extension IMAPSession {
    mutating func dispatch(_ command: IMAPCommand, _ out: inout [IMAPAction]) {
        let tag = command.tag
        let verb = command.kind.verb
        guard verb.allowedStates.contains(state) else {
            let why: String
            switch state {
            case .notAuthenticated: why = "\(verb.rawValue) needs you to log in first"
            case .authenticated:
                why =
                    verb.allowedStates.contains(.selected)
                    ? "\(verb.rawValue) needs a selected folder; use SELECT first"
                    : "\(verb.rawValue) is not allowed after login"
            default: why = "\(verb.rawValue) is not allowed now"
            }
            out.append(.send(.tagged(tag, .bad, nil, why)))
            return
        }
        // UID commands do not use sequence numbers, so held EXPUNGEs may go first; the command then
        // never reports messages that are already gone.
        if selection != nil,
            [.uidFetch, .uidSearch, .uidSort, .uidStore, .uidCopy, .uidMove, .uidExpunge].contains(verb)
        {
            flushUpdates(allowExpunge: true, &out)
        }
        switch command.kind {
        case .capability:
            out.append(.send(.capability(capabilities)))
            complete(tag, .ok, nil, "CAPABILITY completed", &out)
        case .noop, .check:
            if selection != nil {
                request(.checkMailbox, .check(tag: tag, verb: verb), &out)
            } else {
                complete(tag, .ok, nil, "\(verb.rawValue) completed", &out)
            }
        case .logout:
            state = .logout
            out.append(.send(.untagged(.bye, nil, "Logging out")))
            out.append(.send(.tagged(tag, .ok, nil, "LOGOUT completed")))
            out.append(.close)
        case .id(let params):
            if let name = params?.first(where: { $0.key.lowercased() == "name" })?.value, !name.isEmpty {
                clientName = String(name.prefix(64))
                // Before login the name travels with the authenticate request instead.
                if state != .notAuthenticated { out.append(.clientIdentified(String(name.prefix(64)))) }
            }
            out.append(.send(.id(["name": configuration.serverName])))
            complete(tag, .ok, nil, "ID completed", &out)
        case .starttls:
            guard !tlsActive, configuration.startTLSAvailable else {
                out.append(
                    .send(
                        .tagged(
                            tag, .bad, nil,
                            tlsActive ? "TLS is already active" : "STARTTLS is not offered on this port; use port 993"))
                )
                return
            }
            out.append(.send(.tagged(tag, .ok, nil, "Begin TLS negotiation now")))
            // Plaintext sent after STARTTLS could be injected by an attacker: drop it.
            input.removeAll()
            framer = IMAPCommandFramer(limits: configuration.limits)
            pending = .tls
            out.append(.startTLS)
        case .login(let user, let password):
            guard requireTLS(tag, &out) else { return }
            request(
                .authenticate(username: user, password: password, authorizationIdentity: "", clientName: clientName),
                .authenticate(tag: tag), &out)
        case .authenticate(let mechanism, let initial):
            guard mechanism == "PLAIN" else {
                out.append(.send(.tagged(tag, .no, .cannot, "Only AUTHENTICATE PLAIN is supported")))
                return
            }
            guard requireTLS(tag, &out) else { return }
            if let initial {
                authenticateResponse(tag: tag, line: Array(initial.utf8), &out)
            } else {
                mode = .authenticateResponse(tag: tag)
                out.append(.send(.continuation("")))
            }
        case .select(let name), .examine(let name):
            // A failed SELECT leaves no folder selected (RFC 3501 §6.3.1).
            selection = nil
            state = .authenticated
            savedSearch = []
            let readOnly = verb == .examine
            request(.select(name, readOnly: readOnly), .select(tag: tag, name: name, readOnly: readOnly), &out)
        case .create(let name):
            if name.isInbox {
                out.append(.send(.tagged(tag, .no, .alreadyExists, "INBOX always exists")))
                return
            }
            request(.create(name), .simple(tag: tag, verb: verb), &out)
        case .delete(let name):
            if name.isInbox {
                out.append(.send(.tagged(tag, .no, .cannot, "INBOX cannot be deleted")))
                return
            }
            request(.delete(name), .simple(tag: tag, verb: verb), &out)
        case .rename(let from, let to):
            // RENAME INBOX is allowed: the store moves its messages and leaves INBOX empty (RFC 3501 §6.3.5).
            if to.isInbox {
                out.append(.send(.tagged(tag, .no, .alreadyExists, "INBOX already exists; choose another name")))
                return
            }
            request(.rename(from, to: to), .simple(tag: tag, verb: verb), &out)
        case .subscribe(let name):
            request(.subscribe(name), .simple(tag: tag, verb: verb), &out)
        case .unsubscribe(let name):
            request(.unsubscribe(name), .simple(tag: tag, verb: verb), &out)
        case .list(let reference, let pattern), .lsub(let reference, let pattern):
            let lsub = verb == .lsub
            if pattern.isEmpty && !lsub {
                // LIST "" "" asks for the hierarchy delimiter (RFC 3501 §6.3.8).
                out.append(.send(.list(ListEntry(attributes: ["\\Noselect"], name: ""), lsub: false)))
                complete(tag, .ok, nil, "LIST completed", &out)
                return
            }
            request(
                .listMailboxes(subscribedOnly: lsub), .list(tag: tag, pattern: reference + pattern, lsub: lsub), &out)
        case .listExtended(let command):
            if command.patterns.isEmpty {
                out.append(.send(.list(ListEntry(attributes: ["\\Noselect"], name: ""), lsub: false)))
                complete(tag, .ok, nil, "LIST completed", &out)
                return
            }
            request(
                .listMailboxes(subscribedOnly: false), .listExtended(tag: tag, command: command, stage: .folders), &out)
        case .status(let name, let items):
            request(.status(name), .status(tag: tag, name: name, items: items), &out)
        case .append(let name, let flags, let date, let message):
            request(
                .append(name, flags: flags, internalDate: date, message: message), .append(tag: tag, name: name), &out)
        case .getQuota(let root):
            request(.quota(mailbox: nil), .quota(tag: tag, root: root, mailbox: nil), &out)
        case .getQuotaRoot(let name):
            request(.quota(mailbox: name), .quota(tag: tag, root: nil, mailbox: name), &out)
        case .setQuota:
            out.append(
                .send(
                    .tagged(
                        tag, .no, .noPerm,
                        "Quotas are set in the account directory; ask your mail administrator to change yours")))
        case .multiAppend(let name, let messages):
            request(.appendAll(name, messages), .append(tag: tag, name: name), &out)
        case .namespace:
            out.append(.send(.namespace))
            complete(tag, .ok, nil, "NAMESPACE completed", &out)
        case .enable:
            // No extension that needs enabling is implemented; an empty ENABLED is valid (RFC 5161 §3.1).
            out.append(.send(.enabled([])))
            complete(tag, .ok, nil, "ENABLE completed", &out)
        case .idle:
            mode = .idle(tag: tag)
            out.append(.send(.continuation("idling")))
            out.append(.idleStarted)
            flushUpdates(allowExpunge: true, &out)
        case .close:
            let expunge = !(selection?.readOnly ?? true)
            request(.closeMailbox(expunge: expunge), .close(tag: tag), &out)
        case .unselect:
            selection = nil
            state = .authenticated
            out.append(.request(.closeMailbox(expunge: false)))
            pending = .simple(tag: tag, verb: .unselect)
        case .expunge:
            guard requireWritable(tag, &out) else { return }
            request(.expunge(uids: nil), .expunge(tag: tag), &out)
        case .uidExpunge(let set):
            guard requireWritable(tag, &out), let targets = resolve(set, uid: true, tag, &out) else { return }
            request(.expunge(uids: targets.map(\.1)), .expunge(tag: tag), &out)
        case .search(let given, let uid, let returning):
            guard let targets = resolve(SequenceSet([.init(.number(1), .last)]), uid: false, tag, &out) else { return }
            let key = given.usesSavedResult ? given.substitutingSavedResult(savedSearch) : given
            if SearchEvaluator.needsMessageData(key) && !targets.isEmpty {
                request(
                    .searchData(uids: targets.map(\.1)),
                    .search(tag: tag, key: key, targets: targets, uid: uid, returning: returning), &out)
            } else {
                finishSearch(tag: tag, key: key, targets: targets, uid: uid, returning: returning, data: [], &out)
            }
        case .sort(_, let given, let uid), .thread(_, let given, let uid):
            var keys: [SortKey] = []
            var thread: ThreadAlgorithm?
            if case .sort(let k, _, _) = command.kind { keys = k }
            if case .thread(let a, _, _) = command.kind { thread = a }
            guard let targets = resolve(SequenceSet([.init(.number(1), .last)]), uid: false, tag, &out) else { return }
            let key = given.usesSavedResult ? given.substitutingSavedResult(savedSearch) : given
            if targets.isEmpty {
                out.append(.send(thread == nil ? .sort([]) : .thread([])))
                return complete(tag, .ok, nil, "\(verb.rawValue) completed", holdExpunges: !uid, &out)
            }
            // Every criterion but ARRIVAL and SIZE needs headers, so the data SEARCH reads is asked for.
            request(
                .searchData(uids: targets.map(\.1)),
                .sort(tag: tag, keys: keys, thread: thread, search: key, targets: targets, uid: uid), &out)
        case .fetch(let set, let attributes, let uid):
            guard let targets = resolve(set, uid: uid, tag, &out), let sel = selection else { return }
            let needsStore = attributes.contains { a in
                switch a {
                case .flags, .uid: return false
                default: return true
                }
            }
            if !needsStore || targets.isEmpty {
                finishFetch(tag: tag, targets: targets, attributes: attributes, uid: uid, fetched: nil, &out)
                return
            }
            let setsSeen = !sel.readOnly && attributes.contains(where: \.setsSeen)
            let markSeen = setsSeen ? targets.map(\.1).filter { !sel.view.flags(of: $0).contains(.seen) } : []
            request(
                .fetch(uids: targets.map(\.1), attributes: attributes, markSeen: markSeen),
                .fetch(tag: tag, targets: targets, attributes: attributes, uid: uid), &out)
        case .store(let set, let operation, let uid):
            guard requireWritable(tag, &out), let targets = resolve(set, uid: uid, tag, &out) else { return }
            if targets.isEmpty {
                complete(tag, .ok, nil, "STORE completed", holdExpunges: !uid, &out)
                return
            }
            request(
                .store(uids: targets.map(\.1), operation),
                .store(tag: tag, targets: targets, operation: operation, uid: uid), &out)
        case .copy(let set, let name, let uid), .move(let set, let name, let uid):
            let move = verb == .move || verb == .uidMove
            if move { guard requireWritable(tag, &out) else { return } }
            guard let targets = resolve(set, uid: uid, tag, &out) else { return }
            if targets.isEmpty {
                complete(
                    tag, .ok, nil, "\(move ? "MOVE" : "COPY") completed; no messages matched", holdExpunges: !uid, &out)
                return
            }
            let uids = targets.map(\.1)
            request(
                move ? .move(uids: uids, to: name) : .copy(uids: uids, to: name),
                .copy(tag: tag, name: name, move: move), &out)
        }
    }

    /// LOGIN and AUTHENTICATE need TLS (RFC 3501 §6.2.3, RFC 5530 PRIVACYREQUIRED).
    mutating func requireTLS(_ tag: String, _ out: inout [IMAPAction]) -> Bool {
        if tlsActive { return true }
        let how = configuration.startTLSAvailable ? "use STARTTLS first" : "connect to port 993 (IMAPS)"
        out.append(.send(.tagged(tag, .no, .privacyRequired, "Logging in without TLS is not allowed; \(how)")))
        return false
    }

    mutating func requireWritable(_ tag: String, _ out: inout [IMAPAction]) -> Bool {
        guard let sel = selection, sel.readOnly else { return true }
        out.append(
            .send(
                .tagged(
                    tag, .no, .cannot,
                    "Folder \(ModifiedUTF7.encode(sel.name.name)) was opened read-only with EXAMINE; use SELECT to change it"
                )))
        return false
    }

    mutating func resolve(_ set: SequenceSet, uid: Bool, _ tag: String, _ out: inout [IMAPAction]) -> [(Int, UID)]? {
        guard let sel = selection else { return nil }
        do {
            if set.isSavedResult { return try sel.view.resolve(SequenceSet(numbers: savedSearch), byUID: true) }
            return try sel.view.resolve(set, byUID: uid)
        } catch SelectedMailboxView.SetProblem.noSuchMessage(let n) {
            out.append(
                .send(.tagged(tag, .bad, nil, "Message \(n) does not exist; the folder has \(sel.view.count) messages"))
            )
            return nil
        } catch {
            out.append(.send(.tagged(tag, .bad, nil, "Invalid message set")))
            return nil
        }
    }

    /// Handles the PLAIN response, from SASL-IR or after `+ ` (RFC 4616, RFC 4959).
    mutating func authenticateResponse(tag: String, line: [UInt8], _ out: inout [IMAPAction]) {
        let text = String(decoding: line, as: UTF8.self)
        do {
            let creds = try SASL.decodePlain(text)
            guard creds.authorizationIdentity.isEmpty || creds.authorizationIdentity == creds.username else {
                out.append(
                    .send(
                        .tagged(
                            tag, .no, .cannot,
                            "Logging in as another user is not supported; leave the authorization identity empty")))
                return
            }
            request(
                .authenticate(
                    username: creds.username, password: creds.password,
                    authorizationIdentity: creds.authorizationIdentity, clientName: clientName),
                .authenticate(tag: tag), &out)
        } catch SASL.Problem.cancelled {
            out.append(.send(.tagged(tag, .bad, nil, "Authentication cancelled")))
        } catch {
            out.append(.send(.tagged(tag, .bad, nil, "Invalid PLAIN response: \(error)")))
        }
    }
}
