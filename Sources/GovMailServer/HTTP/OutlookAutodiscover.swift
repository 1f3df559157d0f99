import Foundation
import MailCore

/// Outlook's autodiscover: the POX request and response (MS-OXDISCO; response schema
/// "outlook/responseschema/2006a") with IMAP and SMTP settings only, never Exchange, and the
/// JSON "v2" redirect that newer Outlook versions ask first.
enum OutlookAutodiscover {
    /// The `<EMailAddress>` of a POX request body, or nil when the body is not one.
    /// Only that element is read; the body is never echoed or parsed as a whole XML document.
    static func requestedAddress(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard text.contains("<Autodiscover"), let open = text.range(of: "<EMailAddress>"),
            let close = text.range(of: "</EMailAddress>", range: open.upperBound..<text.endIndex)
        else { return nil }
        let value = String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty || value.count > 320 ? nil : unescapedXML(value)
    }

    /// The POX answer for a local address (RFC-less, MS-OXDISCO §2.2.4): one IMAP and one SMTP protocol.
    static func response(address: EmailAddress, settings: MailClientSettings) -> String {
        func proto(_ type: String, _ s: MailClientSettings.Server) -> String {
            // Encryption (SSL = implicit TLS, TLS = STARTTLS) overrides the older SSL element.
            """
                  <Protocol>
                    <Type>\(type)</Type>
                    <Server>\(markupEscaped(s.hostname))</Server>
                    <Port>\(s.port)</Port>
                    <DomainRequired>off</DomainRequired>
                    <LoginName>\(markupEscaped(address.description))</LoginName>
                    <SPA>off</SPA>
                    <SSL>on</SSL>
                    <Encryption>\(s.security == .implicitTLS ? "SSL" : "TLS")</Encryption>
                    <AuthRequired>on</AuthRequired>
                  </Protocol>

            """
        }
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                <User>
                  <EMailAddress>\(markupEscaped(address.description))</EMailAddress>
                </User>
                <Account>
                  <AccountType>email</AccountType>
                  <Action>settings</Action>

            """
        if let s = settings.imap.first { out += proto("IMAP", s) }
        if let s = settings.submission.first { out += proto("SMTP", s) }
        out += """
                </Account>
              </Response>
            </Autodiscover>

            """
        return out
    }

    /// The JSON v2 answer: where the POX service for this domain lives.
    static func jsonRedirect(domain: Domain) -> String {
        "{\"Protocol\":\"AutodiscoverV1\",\"Url\":\"https://autodiscover.\(domain.name)/autodiscover/autodiscover.xml\"}"
    }

    /// A JSON error in the shape Outlook expects from the v2 endpoint.
    static func jsonError(_ code: String, _ message: String) -> String {
        "{\"ErrorCode\":\"\(code)\",\"ErrorMessage\":\"\(message)\"}"
    }

    private static func unescapedXML(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
