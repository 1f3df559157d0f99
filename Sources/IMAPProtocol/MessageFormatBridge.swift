import MessageFormat

// Converts MessageFormat's parsed values into IMAP wire types (RFC 3501 §7.4.2).
//
// Choices, compared with what Dovecot and Cyrus send:
// - ENVELOPE strings are the unfolded header values as received (encoded words kept; the client
//   decodes them). An absent header is NIL, a present but empty one is "". Sender and Reply-To
//   default to From when absent or empty (MessageFormat's `Envelope` already applies the rule).
// - Parameters in BODYSTRUCTURE are sent as written in the header (RFC 2231 `name*0*` continuations
//   and `charset'lang'%XX` values untouched; the client decodes them, as it decodes encoded words in
//   the envelope). Decoding here would put 8-bit text into IMAP strings, which IMAP4rev1 without
//   UTF8=ACCEPT cannot label with a charset. Names are uppercased, like the session's own fallback.
//   A text part without a charset gets ("CHARSET" "us-ascii"), the RFC 2045 §5.2 default, as Dovecot
//   writes it, so clients need not know the default.
// - A message/rfc822 part whose body was not parsed (base64 or quoted-printable encoded, which
//   RFC 2046 §5.2.1 forbids) is described as a basic part: there is no envelope to give. Parts cut by
//   a limit are already application/octet-stream.

extension IMAPAddress {
    /// One ENVELOPE address, group markers included (RFC 3501 §7.4.2).
    public init(_ address: EnvelopeAddress) {
        self.init(name: address.name, adl: address.adl, mailbox: address.mailbox, host: address.host)
    }
}

extension IMAPEnvelope {
    /// The ENVELOPE of a parsed message header (RFC 3501 §7.4.2).
    public init(_ envelope: Envelope) {
        func list(_ a: [EnvelopeAddress]?) -> [IMAPAddress] { (a ?? []).map(IMAPAddress.init) }
        self.init(
            date: envelope.date, subject: envelope.subject, from: list(envelope.from), sender: list(envelope.sender),
            replyTo: list(envelope.replyTo), to: list(envelope.to), cc: list(envelope.cc), bcc: list(envelope.bcc),
            inReplyTo: envelope.inReplyTo, messageID: envelope.messageID)
    }
}

extension IMAPParameters {
    /// A MIME parameter list as written in the header, in order (RFC 3501 §9 `body-fld-param`).
    public init(_ parameters: MIMEParameters) {
        self.init(parameters.raw.map { IMAPParameterPair($0.name.uppercased(), $0.value) })
    }
}

extension IMAPBodyExtension {
    /// Disposition, language and location of a part (RFC 3501 §9 `body-ext-1part`, `body-ext-mpart`).
    public init(_ part: MessagePart) {
        self.init(
            disposition: part.disposition.map {
                IMAPDisposition(type: $0.type.uppercased(), parameters: IMAPParameters($0.parameters))
            },
            language: part.contentLanguage, location: part.contentLocation)
    }
}

extension IMAPBodyStructure {
    /// BODYSTRUCTURE of a parsed message (RFC 3501 §7.4.2); encode with `extensible: false` for BODY.
    public init(_ message: MessageStructure) { self.init(message.root) }

    /// The body structure of one MIME entity and everything below it.
    public init(_ part: MessagePart) {
        let type = part.contentType
        if type.isMultipart && !part.parts.isEmpty {
            self = .multipart(
                IMAPMultipart(
                    parts: part.parts.map(IMAPBodyStructure.init), subtype: type.subtype,
                    parameters: IMAPParameters(type.parameters), ext: IMAPBodyExtension(part)))
            return
        }
        let kind: IMAPSinglePart.Kind
        if type.type == "text" {
            kind = .text(lines: part.bodyLineCount)
        } else if type.isMessageRFC822, let inner = part.encapsulated?.message {
            kind = .message(
                envelope: IMAPEnvelope(inner.envelope), body: IMAPBodyStructure(inner.root), lines: part.bodyLineCount)
        } else {
            kind = .basic
        }
        // A multipart without parts cannot be written as body-type-mpart (1*body): the parser never
        // produces one, but if it did, describe it as opaque data rather than break the grammar.
        let (mediaType, subtype) = type.isMultipart ? ("application", "octet-stream") : (type.type, type.subtype)
        var parameters = IMAPParameters(type.parameters)
        if mediaType == "text" && !parameters.pairs.contains(where: { $0.name.hasPrefix("CHARSET") }) {
            parameters.pairs.append(IMAPParameterPair("CHARSET", "us-ascii"))
        }
        self = .single(
            IMAPSinglePart(
                type: mediaType, subtype: subtype, parameters: parameters, id: part.contentID,
                description: part.contentDescription, encoding: part.contentTransferEncoding, octets: part.bodySize,
                kind: kind, md5: part.contentMD5, ext: IMAPBodyExtension(part)))
    }
}

extension IMAPSection {
    /// The MessageFormat section this IMAP section names (RFC 3501 §6.4.5).
    public var sectionSpec: SectionSpec {
        let text: SectionSpec.Text?
        switch self.text {
        case nil: text = nil
        case .header?: text = .header
        case .text?: text = .text
        case .mime?: text = .mime
        case .headerFields(let names)?: text = .headerFields(names)
        case .headerFieldsNot(let names)?: text = .headerFieldsNot(names)
        }
        return SectionSpec(part: part, text: text)
    }

    /// Whether the section is built from cached header fields alone (HEADER.FIELDS, HEADER.FIELDS.NOT).
    var isAnsweredFromMetadata: Bool {
        switch text {
        case .headerFields?, .headerFieldsNot?: return true
        default: return false
        }
    }
}
