import MailCore

/// An Apple configuration profile (`.mobileconfig`, an XML property list) with one
/// `com.apple.mail.managed` payload, which iPhone, iPad and macOS Mail install in two taps.
/// Signed by `HTTPRoutes` when `http.profile_signing_certificate` is set; unsigned otherwise
/// (the device then shows it as "Not Verified").
enum AppleMobileConfig {
    static let contentType = "application/x-apple-aspen-config"

    static func document(address: EmailAddress, settings: MailClientSettings, hostname: String) -> String? {
        guard let imap = settings.imap.first, let smtp = settings.submission.first else { return nil }
        let a = markupEscaped(address.description)
        let d = markupEscaped(address.domain.name)
        // Reversed domain for identifiers ("vn.gov.so"); stable UUIDs so a second download replaces the first.
        let reversed = markupEscaped(address.domain.name.split(separator: ".").reversed().joined(separator: "."))
        let profileID = stableUUID("profile:" + address.key)
        let mailID = stableUUID("mail:" + address.key)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
              <key>PayloadContent</key>
              <array>
                <dict>
                  <key>EmailAccountDescription</key><string>\(a)</string>
                  <key>EmailAccountName</key><string>\(a)</string>
                  <key>EmailAccountType</key><string>EmailTypeIMAP</string>
                  <key>EmailAddress</key><string>\(a)</string>
                  <key>IncomingMailServerAuthentication</key><string>EmailAuthPassword</string>
                  <key>IncomingMailServerHostName</key><string>\(markupEscaped(imap.hostname))</string>
                  <key>IncomingMailServerPortNumber</key><integer>\(imap.port)</integer>
                  <key>IncomingMailServerUseSSL</key><\(imap.security == .implicitTLS ? "true" : "false")/>
                  <key>IncomingMailServerUsername</key><string>\(a)</string>
                  <key>OutgoingMailServerAuthentication</key><string>EmailAuthPassword</string>
                  <key>OutgoingMailServerHostName</key><string>\(markupEscaped(smtp.hostname))</string>
                  <key>OutgoingMailServerPortNumber</key><integer>\(smtp.port)</integer>
                  <key>OutgoingMailServerUseSSL</key><\(smtp.security == .implicitTLS ? "true" : "false")/>
                  <key>OutgoingMailServerUsername</key><string>\(a)</string>
                  <key>OutgoingPasswordSameAsIncomingPassword</key><true/>
                  <key>PayloadDescription</key><string>Thư công vụ / Official mail \(a)</string>
                  <key>PayloadDisplayName</key><string>\(a)</string>
                  <key>PayloadIdentifier</key><string>\(reversed).govmail.mail.\(mailID)</string>
                  <key>PayloadType</key><string>com.apple.mail.managed</string>
                  <key>PayloadUUID</key><string>\(mailID)</string>
                  <key>PayloadVersion</key><integer>1</integer>
                </dict>
              </array>
              <key>PayloadDescription</key><string>Cài đặt thư công vụ \(d) / Official mail set-up for \(d)</string>
              <key>PayloadDisplayName</key><string>Thư công vụ \(d)</string>
              <key>PayloadIdentifier</key><string>\(reversed).govmail.\(profileID)</string>
              <key>PayloadOrganization</key><string>\(markupEscaped(hostname))</string>
              <key>PayloadRemovalDisallowed</key><false/>
              <key>PayloadType</key><string>Configuration</string>
              <key>PayloadUUID</key><string>\(profileID)</string>
              <key>PayloadVersion</key><integer>1</integer>
            </dict>
            </plist>

            """
    }

    /// A UUID-shaped identifier derived from `seed` (two FNV-1a 64-bit hashes, RFC 9562 version 8 bits).
    static func stableUUID(_ seed: String) -> String {
        func fnv(_ basis: UInt64) -> UInt64 {
            var h = basis
            for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }
        var bytes =
            withUnsafeBytes(of: fnv(0xcbf2_9ce4_8422_2325).bigEndian, Array.init)
            + withUnsafeBytes(of: fnv(0x8422_2325_cbf2_9ce4).bigEndian, Array.init)
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
            .joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
            .uppercased()
    }
}
