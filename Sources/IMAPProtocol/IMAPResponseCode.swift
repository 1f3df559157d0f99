import MailCore

/// Response codes inside `[...]` of a status response (RFC 3501 §7.1, RFC 4315, RFC 5530, RFC 7889).
public enum IMAPResponseCode: Sendable, Equatable {
    case alert
    case uidValidity(UInt32), uidNext(UInt32), unseen(UInt32)
    case permanentFlags([Flag], allowsNewKeywords: Bool)
    case readOnly, readWrite
    case appendUID(uidValidity: UInt32, uid: UID)
    /// MULTIAPPEND's APPENDUID carries a UID set (RFC 4315 §3 `append-uid`).
    case appendUIDs(uidValidity: UInt32, SequenceSet)
    case copyUID(uidValidity: UInt32, source: SequenceSet, destination: SequenceSet)
    case tryCreate, tooBig, privacyRequired, alreadyExists, nonexistent, cannot, authenticationFailed
    case unavailable, limit, clientBug, serverBug, overQuota, inUse, noPerm, expungeIssued
    /// RFC 3516 §4.3: BINARY of a part whose Content-Transfer-Encoding the server cannot decode.
    case unknownCTE
    case badCharset([String])
    case capability([String])

    /// The code's wire form without brackets.
    public var wire: String {
        switch self {
        case .alert: return "ALERT"
        case .uidValidity(let v): return "UIDVALIDITY \(v)"
        case .uidNext(let v): return "UIDNEXT \(v)"
        case .unseen(let v): return "UNSEEN \(v)"
        case .permanentFlags(let flags, let more):
            return "PERMANENTFLAGS (\((flags.map(\.description) + (more ? ["\\*"] : [])).joined(separator: " ")))"
        case .readOnly: return "READ-ONLY"
        case .readWrite: return "READ-WRITE"
        case .appendUID(let v, let uid): return "APPENDUID \(v) \(uid)"
        case .appendUIDs(let v, let set): return "APPENDUID \(v) \(set)"
        case .copyUID(let v, let s, let d): return "COPYUID \(v) \(s) \(d)"
        case .tryCreate: return "TRYCREATE"
        case .tooBig: return "TOOBIG"
        case .privacyRequired: return "PRIVACYREQUIRED"
        case .alreadyExists: return "ALREADYEXISTS"
        case .nonexistent: return "NONEXISTENT"
        case .cannot: return "CANNOT"
        case .authenticationFailed: return "AUTHENTICATIONFAILED"
        case .unavailable: return "UNAVAILABLE"
        case .limit: return "LIMIT"
        case .clientBug: return "CLIENTBUG"
        case .serverBug: return "SERVERBUG"
        case .overQuota: return "OVERQUOTA"
        case .inUse: return "INUSE"
        case .noPerm: return "NOPERM"
        case .expungeIssued: return "EXPUNGEISSUED"
        case .unknownCTE: return "UNKNOWN-CTE"
        case .badCharset(let cs): return cs.isEmpty ? "BADCHARSET" : "BADCHARSET (\(cs.joined(separator: " ")))"
        case .capability(let caps): return "CAPABILITY \(caps.joined(separator: " "))"
        }
    }
}

/// Status condition of a response (RFC 3501 §7.1).
public enum IMAPStatus: String, Sendable, Equatable {
    case ok = "OK", no = "NO", bad = "BAD", bye = "BYE", preauth = "PREAUTH"
}
