/// A validated script: every command and test known, every extension it uses required.
/// What `SieveEvaluator` runs; compile once (`SieveScript.compile`) and run per message.
public struct SieveScript: Sendable, Equatable {
    public let commands: [SieveCommand]
    /// Extensions named by `require` (RFC 5228 §3.2).
    public let extensions: Set<String>

    /// Parses and validates `source`; errors carry line and column (ManageSieve CHECKSCRIPT shows them).
    public static func compile(_ source: String, limits: SieveLimits = SieveLimits()) throws(SieveCompileError)
        -> SieveScript
    {
        let syntax = try SieveParser.parse(source, limits: limits)
        var validator = SieveValidator()
        let commands = try validator.commands(syntax, atTopLevel: true)
        return SieveScript(commands: commands, extensions: validator.required)
    }
}

/// The extensions this implementation offers (the ManageSieve SIEVE capability lists them).
public enum SieveExtensions {
    public static let supported: [String] = [
        "body", "comparator-i;ascii-numeric", "copy", "date", "envelope", "fileinto", "imap4flags", "relational",
        "vacation", "vacation-seconds", "variables",
    ]
}

public enum AddressPart: String, Sendable, Equatable { case all, localpart, domain }

/// RFC 4790 comparators: `i;ascii-casemap` (the default), `i;octet`, `i;ascii-numeric`.
public enum SieveComparator: String, Sendable, Equatable {
    case asciiCasemap = "i;ascii-casemap"
    case octet = "i;octet"
    case asciiNumeric = "i;ascii-numeric"
}

/// RFC 5231 relational operators.
public enum RelationalOperator: String, Sendable, Equatable { case gt, ge, lt, le, eq, ne }

public enum MatchType: Sendable, Equatable {
    case `is`, contains, matches
    case value(RelationalOperator)
    case count(RelationalOperator)
}

public struct MatchOptions: Sendable, Equatable {
    public var comparator: SieveComparator = .asciiCasemap
    public var match: MatchType = .is
}

/// What the `body` test looks at (RFC 5173 §5).
public enum BodyTransform: Sendable, Equatable {
    case raw
    /// Parts whose media type matches one of these ("text", "text/html"; "" matches all).
    case content([String])
    case text
}

public enum DateZone: Sendable, Equatable {
    /// Convert to the evaluator's local zone (no tag).
    case local
    /// `:zone "+0700"`: offset in minutes.
    case fixed(Int)
    /// `:originalzone`: keep the zone written in the header.
    case original
}

public enum FlagOperation: String, Sendable, Equatable { case set = "setflag", add = "addflag", remove = "removeflag" }

/// The parameters of a `vacation` action (RFC 5230 §4, RFC 6131).
public struct VacationParameters: Sendable, Equatable {
    /// Seconds between replies to one sender; nil: the default period.
    public var period: Int?
    public var subject: String?
    public var from: String?
    public var addresses: [String] = []
    public var mime = false
    public var handle: String?
    public var reason: String
}

public struct SieveBranch: Sendable, Equatable {
    public let test: SieveTest
    public let block: [SieveCommand]
}

public indirect enum SieveCommand: Sendable, Equatable {
    /// if / elsif…, then an optional else.
    case conditional([SieveBranch], otherwise: [SieveCommand]?)
    case keep(flags: [String]?)
    case discard
    case redirect(String, copy: Bool)
    case fileinto(String, create: Bool, copy: Bool, flags: [String]?)
    case stop
    case vacation(VacationParameters)
    case flags(FlagOperation, variable: String?, [String])
    case set(name: String, value: String, modifiers: [String])
}

public indirect enum SieveTest: Sendable, Equatable {
    case address(AddressPart, MatchOptions, headers: [String], keys: [String])
    case envelope(AddressPart, MatchOptions, parts: [String], keys: [String])
    case header(MatchOptions, headers: [String], keys: [String])
    case exists([String])
    case size(over: Bool, limit: Int)
    case allOf([SieveTest])
    case anyOf([SieveTest])
    case not(SieveTest)
    case constant(Bool)
    case body(BodyTransform, MatchOptions, keys: [String])
    case currentDate(DateZone, MatchOptions, part: String, keys: [String])
    case date(DateZone, MatchOptions, header: String, part: String, keys: [String])
    case string(MatchOptions, sources: [String], keys: [String])
    case hasFlag(MatchOptions, variables: [String]?, flags: [String])
}
