/// A MIME parameter list such as `("CHARSET" "UTF-8")`, order kept (RFC 3501 §9 `body-fld-param`).
public struct IMAPParameters: Sendable, Hashable {
    public var pairs: [IMAPParameterPair]
    public init(_ pairs: [IMAPParameterPair] = []) { self.pairs = pairs }

    // body-fld-param = "(" string SP string *(SP string SP string) ")" / nil
    func encode(_ w: inout IMAPWriter) {
        guard !pairs.isEmpty else { return w.raw("NIL") }
        w.raw("(")
        for (i, p) in pairs.enumerated() {
            if i > 0 { w.raw(" ") }
            w.string(p.name)
            w.raw(" ")
            w.string(p.value)
        }
        w.raw(")")
    }
}

/// One `name value` parameter, sent as written in the message (RFC 2231 continuations are not decoded: decoding would put 8-bit text into IMAP strings).
public struct IMAPParameterPair: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Content-Disposition as BODYSTRUCTURE carries it (RFC 3501 §9 `body-fld-dsp`).
public struct IMAPDisposition: Sendable, Hashable {
    public var type: String
    public var parameters: IMAPParameters
    public init(type: String, parameters: IMAPParameters = IMAPParameters()) {
        self.type = type
        self.parameters = parameters
    }
}

/// The extension data shared by single parts and multiparts (RFC 3501 §9 `body-ext-1part`, `body-ext-mpart`).
public struct IMAPBodyExtension: Sendable, Hashable {
    public var disposition: IMAPDisposition?
    public var language: [String]
    public var location: String?
    public init(disposition: IMAPDisposition? = nil, language: [String] = [], location: String? = nil) {
        self.disposition = disposition
        self.language = language
        self.location = location
    }

    // body-fld-dsp SP body-fld-lang SP body-fld-loc
    func encode(_ w: inout IMAPWriter) {
        if let d = disposition {
            w.raw("(")
            w.string(d.type)
            w.raw(" ")
            d.parameters.encode(&w)
            w.raw(")")
        } else {
            w.raw("NIL")
        }
        w.raw(" ")
        // body-fld-lang = nstring / "(" string *(SP string) ")"
        switch language.count {
        case 0: w.raw("NIL")
        case 1: w.string(language[0])
        default:
            w.raw("(")
            for (i, l) in language.enumerated() {
                if i > 0 { w.raw(" ") }
                w.string(l)
            }
            w.raw(")")
        }
        w.raw(" ")
        w.nstring(location)
    }
}

/// A non-multipart body part (RFC 3501 §9 `body-type-1part`).
public struct IMAPSinglePart: Sendable, Hashable {
    /// What follows `body-fields`: nothing, a line count (text/*), or envelope + body + lines (message/rfc822).
    public indirect enum Kind: Sendable, Hashable {
        case basic
        case text(lines: Int)
        case message(envelope: IMAPEnvelope, body: IMAPBodyStructure, lines: Int)
    }
    public var type: String
    public var subtype: String
    public var parameters: IMAPParameters
    public var id: String?
    public var description: String?
    /// Content-Transfer-Encoding, `7BIT` when absent.
    public var encoding: String
    /// Size of the encoded body in bytes.
    public var octets: Int
    public var kind: Kind
    public var md5: String?
    public var ext: IMAPBodyExtension

    public init(
        type: String, subtype: String, parameters: IMAPParameters = IMAPParameters(), id: String? = nil,
        description: String? = nil, encoding: String = "7BIT", octets: Int, kind: Kind, md5: String? = nil,
        ext: IMAPBodyExtension = IMAPBodyExtension()
    ) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
        self.id = id
        self.description = description
        self.encoding = encoding
        self.octets = octets
        self.kind = kind
        self.md5 = md5
        self.ext = ext
    }
}

/// A multipart body (RFC 3501 §9 `body-type-mpart`).
public struct IMAPMultipart: Sendable, Hashable {
    public var parts: [IMAPBodyStructure]
    public var subtype: String
    public var parameters: IMAPParameters
    public var ext: IMAPBodyExtension
    public init(
        parts: [IMAPBodyStructure], subtype: String, parameters: IMAPParameters = IMAPParameters(),
        ext: IMAPBodyExtension = IMAPBodyExtension()
    ) {
        self.parts = parts
        self.subtype = subtype
        self.parameters = parameters
        self.ext = ext
    }
}

/// BODY / BODYSTRUCTURE of a message (RFC 3501 §7.4.2); `encode(extensible:)` writes either form.
public indirect enum IMAPBodyStructure: Sendable, Hashable {
    case single(IMAPSinglePart)
    case multipart(IMAPMultipart)

    /// body = "(" (body-type-1part / body-type-mpart) ")"; extension data only when `extensible` (BODYSTRUCTURE).
    public func encode(_ w: inout IMAPWriter, extensible: Bool) {
        w.raw("(")
        switch self {
        case .single(let p):
            w.string(p.type.uppercased())
            w.raw(" ")
            w.string(p.subtype.uppercased())
            w.raw(" ")
            // body-fields = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
            p.parameters.encode(&w)
            w.raw(" ")
            w.nstring(p.id)
            w.raw(" ")
            w.nstring(p.description)
            w.raw(" ")
            w.string(p.encoding.uppercased())
            w.raw(" \(p.octets)")
            switch p.kind {
            case .basic: break
            case .text(let lines): w.raw(" \(lines)")
            case .message(let env, let body, let lines):
                // body-type-msg = media-message SP body-fields SP envelope SP body SP body-fld-lines
                w.raw(" ")
                env.encode(&w)
                w.raw(" ")
                body.encode(&w, extensible: extensible)
                w.raw(" \(lines)")
            }
            if extensible {
                // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
                w.raw(" ")
                w.nstring(p.md5)
                w.raw(" ")
                p.ext.encode(&w)
            }
        case .multipart(let m):
            // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
            for part in m.parts { part.encode(&w, extensible: extensible) }
            w.raw(" ")
            w.string(m.subtype.uppercased())
            if extensible {
                // body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
                w.raw(" ")
                m.parameters.encode(&w)
                w.raw(" ")
                m.ext.encode(&w)
            }
        }
        w.raw(")")
    }
}
