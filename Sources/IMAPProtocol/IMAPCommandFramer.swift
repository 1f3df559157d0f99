import MailCore

/// Cuts the input stream into whole commands, literals included, without parsing them
/// (RFC 3501 §7.5 and §4.3, RFC 7888 LITERAL+).
///
/// Invariants: bytes of a command are consumed only when the whole command (every literal and
/// the final CRLF) is present; a synchronizing literal is acknowledged exactly once; a literal
/// over its limit is never buffered. A line may end with a bare LF, as Dovecot accepts from
/// clients: the command handed on has CRLF there (literal bytes are never touched), so the
/// parser only ever sees CRLF.
public struct IMAPCommandFramer: Sendable {
    /// What the framer found in the input.
    public enum Outcome: Sendable, Equatable {
        /// A complete command: its bytes, literals embedded, final CRLF included.
        case command([UInt8])
        /// A synchronizing literal was announced and fits: the server must send `+ Ready` (RFC 3501 §7.5).
        case continuationNeeded
        /// A synchronizing literal over the limit: answer `tag NO [TOOBIG]` without reading it (RFC 7888 §4).
        case literalRefused(tag: String?, size: Int)
        /// A non-synchronizing literal over the limit was read and discarded: answer `tag NO [TOOBIG]` (RFC 7888 §4).
        case literalDiscarded(tag: String?, size: Int)
        /// A line longer than the limit: the stream cannot be trusted any more; say BYE and close.
        case lineTooLong(tag: String?)
    }

    public var limits: IMAPLimits
    /// Offset, within the queue, up to which the current command has been checked.
    private var scanned = 0
    /// Offsets (within the queue) of line-ending LFs of the current command that had no CR before them.
    private var bareLineFeeds: [Int] = []
    /// Bytes still to drop from an oversized non-synchronizing literal, and whose command it was.
    private var discarding: (remaining: Int, tag: String?, size: Int, skippingLine: Bool)?

    public init(limits: IMAPLimits = IMAPLimits()) { self.limits = limits }

    /// Whether a command is partly buffered (used to keep autologout from firing mid-command).
    public var isInsideCommand: Bool { scanned > 0 || discarding != nil }

    /// Looks for the next command; nil means more bytes are needed and nothing was consumed.
    public mutating func next(_ queue: inout ByteQueue) -> Outcome? {
        if discarding != nil { return continueDiscarding(&queue) }
        while true {
            if queue.count < scanned { return nil }  // literal bytes still arriving
            guard let end = Self.lineEnd(queue, from: scanned) else {
                if queue.count - scanned > limits.lineLength { return tooLong(&queue) }
                return nil
            }
            let cr = end.contentEnd
            if cr - scanned > limits.lineLength { return tooLong(&queue) }
            if end.bare { bareLineFeeds.append(end.next - 1) }
            guard let literal = Self.literalHeader(queue, lineStart: scanned, cr: cr) else {
                scanned = 0
                return .command(withCRLF(queue.consume(end.next)))
            }
            let limit = isAppend(queue) ? limits.appendLimit : limits.literalSize
            let tag = Self.tag(queue)
            if literal.size > limit || end.next + literal.size > limits.appendLimit + 4 * limits.lineLength {
                queue.discard(end.next)
                scanned = 0
                bareLineFeeds = []
                if literal.synchronizing { return .literalRefused(tag: tag, size: literal.size) }
                discarding = (literal.size, tag, literal.size, false)
                return continueDiscarding(&queue)
            }
            scanned = end.next + literal.size
            if literal.synchronizing { return .continuationNeeded }
        }
    }

    /// Reads one raw line (an AUTHENTICATE response or IDLE's DONE), line ending removed; nil if incomplete.
    public mutating func nextLine(_ queue: inout ByteQueue) -> Outcome? {
        guard let end = Self.lineEnd(queue, from: 0) else {
            return queue.count > limits.lineLength ? tooLong(&queue) : nil
        }
        if end.contentEnd > limits.lineLength { return tooLong(&queue) }
        let line = queue.consume(end.next)
        return .command(Array(line[..<end.contentEnd]))
    }

    /// The end of the line starting at or before `from`: where its text ends (the CR, or the LF
    /// of a bare LF), where the next line starts, and whether the LF stood alone.
    static func lineEnd(_ q: ByteQueue, from: Int) -> (contentEnd: Int, next: Int, bare: Bool)? {
        guard let lf = q.firstIndex(of: 10, from: from) else { return nil }
        if lf > from, q[lf - 1] == 13 { return (lf - 1, lf + 1, false) }
        return (lf, lf + 1, true)
    }

    /// The command's bytes with a CR put before each bare line-ending LF.
    private mutating func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
        guard !bareLineFeeds.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bareLineFeeds.count)
        var start = 0
        for lf in bareLineFeeds {
            out += bytes[start..<lf]
            out.append(13)
            start = lf
        }
        out += bytes[start...]
        bareLineFeeds = []
        return out
    }

    private mutating func tooLong(_ queue: inout ByteQueue) -> Outcome {
        let tag = Self.tag(queue)
        queue.removeAll()
        scanned = 0
        bareLineFeeds = []
        return .lineTooLong(tag: tag)
    }

    private mutating func continueDiscarding(_ queue: inout ByteQueue) -> Outcome? {
        while var d = discarding {
            if d.remaining > 0 {
                let n = min(d.remaining, queue.count)
                queue.discard(n)
                d.remaining -= n
                discarding = d
                if d.remaining > 0 { return nil }
            }
            // The rest of the command line after the literal is dropped as well.
            guard let end = Self.lineEnd(queue, from: 0) else {
                if queue.count > limits.lineLength { return tooLong(&queue) }
                return nil
            }
            let next = Self.literalHeader(queue, lineStart: 0, cr: end.contentEnd)
            queue.discard(end.next)
            if let next, !next.synchronizing {
                d.remaining = next.size
                discarding = d
                continue
            }
            discarding = nil
            return .literalDiscarded(tag: d.tag, size: d.size)
        }
        return nil
    }

    // literal = "{" number ["+"] "}" CRLF *CHAR8   — RFC 3501 §9, RFC 7888 §3
    static func literalHeader(_ q: ByteQueue, lineStart: Int, cr: Int) -> (size: Int, synchronizing: Bool)? {
        guard cr > lineStart, q[cr - 1] == UInt8(ascii: "}") else { return nil }
        var i = cr - 2
        var sync = true
        if i >= lineStart, q[i] == UInt8(ascii: "+") { sync = false; i -= 1 }
        var size = 0, digits = 0, multiplier = 1
        while i >= lineStart, q[i] >= 0x30, q[i] <= 0x39 {
            digits += 1
            if digits > 10 { return nil }
            size += Int(q[i] - 0x30) * multiplier
            multiplier *= 10
            i -= 1
        }
        guard digits > 0, i >= lineStart, q[i] == UInt8(ascii: "{") else { return nil }
        return (size, sync)
    }

    /// The tag of the buffered command, if the first word is a valid tag.
    static func tag(_ q: ByteQueue) -> String? {
        var bytes: [UInt8] = []
        var i = 0
        while i < q.count, i < 64, q[i] != 0x20, q[i] != 13, q[i] != 10 {
            guard IMAPCharacters.isTagChar(q[i]) else { return nil }
            bytes.append(q[i])
            i += 1
        }
        return bytes.isEmpty || i >= q.count || q[i] != 0x20 ? nil : String(decoding: bytes, as: UTF8.self)
    }

    private func isAppend(_ q: ByteQueue) -> Bool {
        var words: [[UInt8]] = [[]]
        var i = 0
        while i < q.count, i < 80, words.count <= 2, q[i] != 13, q[i] != 10 {
            if q[i] == 0x20 { words.append([]) } else { words[words.count - 1].append(q[i] & 0xDF) }
            i += 1
        }
        return words.count >= 2 && words[1] == Array("APPEND".utf8)
    }
}

/// Character classes of RFC 3501 §9.
enum IMAPCharacters {
    // ATOM-CHAR = <any CHAR except atom-specials>
    // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
    static func isAtomChar(_ c: UInt8) -> Bool {
        guard c > 0x20, c < 0x7F else { return false }
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "*"),
            UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default: return true
        }
    }
    // ASTRING-CHAR = ATOM-CHAR / resp-specials
    static func isAStringChar(_ c: UInt8) -> Bool { isAtomChar(c) || c == UInt8(ascii: "]") }
    // tag = 1*<any ASTRING-CHAR except "+">
    static func isTagChar(_ c: UInt8) -> Bool { isAStringChar(c) && c != UInt8(ascii: "+") }
    // list-char = ATOM-CHAR / list-wildcards / resp-specials
    static func isListChar(_ c: UInt8) -> Bool {
        isAStringChar(c) || c == UInt8(ascii: "%") || c == UInt8(ascii: "*")
    }
}
