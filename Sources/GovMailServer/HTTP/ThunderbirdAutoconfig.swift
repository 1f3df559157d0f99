import MailCore

/// Thunderbird's autoconfig answer (the ISPDB "config-v1.1" format,
/// https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat), for one local domain.
/// The user name is Thunderbird's `%EMAILADDRESS%` placeholder: logins are full addresses.
enum ThunderbirdAutoconfig {
    static func document(domain: Domain, settings: MailClientSettings, hostname: String) -> String {
        func server(_ tag: String, _ type: String, _ s: MailClientSettings.Server) -> String {
            """
                <\(tag) type="\(type)">
                  <hostname>\(markupEscaped(s.hostname))</hostname>
                  <port>\(s.port)</port>
                  <socketType>\(s.security.rawValue)</socketType>
                  <authentication>password-cleartext</authentication>
                  <username>%EMAILADDRESS%</username>
                </\(tag)>

            """
        }
        let d = markupEscaped(domain.name)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="\(d)">
                <domain>\(d)</domain>
                <displayName>\(d) (GovMail \(markupEscaped(hostname)))</displayName>
                <displayShortName>\(d)</displayShortName>

            """
        for s in settings.imap { out += server("incomingServer", "imap", s) }
        for s in settings.submission { out += server("outgoingServer", "smtp", s) }
        out += """
              </emailProvider>
            </clientConfig>

            """
        return out
    }
}
