import Foundation
import MailCore
import MessageFormat
import SMTPProtocol

/// A report as an e-mail (RFC 5322 with MIME, RFC 2045–2047): an HTML body and attachments, all
/// base64 in UTF-8 so Vietnamese survives every relay, CRLF line ends, lines of at most 76 characters.
struct ReportMail {
    struct Attachment {
        var fileName: String
        var contentType: String
        var bytes: [UInt8]
    }

    var from: EmailAddress
    var to: EmailAddress
    var subject: String
    var html: [UInt8]
    var attachments: [Attachment]
    var date: Double
    var messageID: String

    /// An RFC 2047 encoded word for a MIME parameter (an attachment's file name) that may hold
    /// Vietnamese; header fields go through `HeaderEncoding.field`, which folds long values.
    static func encodedWord(_ text: String) -> String {
        text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 }
            ? text : "=?UTF-8?B?" + Base64.encode(Array(text.utf8)) + "?="
    }

    var bytes: [UInt8] {
        let boundary = "=_govmail_report_" + messageID.filter { $0.isLetter || $0.isNumber }
        var m = "From: \(from)\r\nTo: \(to)\r\n\(HeaderEncoding.field("Subject", subject))\r\n"
        m += "Date: \(SubmissionFixes.rfc5322Date(date))\r\nMessage-ID: <\(messageID)>\r\nMIME-Version: 1.0\r\n"
        m += "Auto-Submitted: auto-generated\r\n"
        m += "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n"
        m += "--\(boundary)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        m += Base64.encodeMIMELines(html)
        for a in attachments {
            let name = Self.encodedWord(a.fileName)
            m += "--\(boundary)\r\nContent-Type: \(a.contentType); name=\"\(name)\"\r\n"
            m += "Content-Disposition: attachment; filename=\"\(name)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            m += Base64.encodeMIMELines(a.bytes)
        }
        m += "--\(boundary)--\r\n"
        return Array(m.utf8)
    }
}
