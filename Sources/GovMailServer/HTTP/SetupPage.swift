import HTTPProtocol
import MailCore

/// The page at `/`: how staff set up their official mail, in Vietnamese (default) or English,
/// laid out for a phone first. Everything inserted into it is escaped.
enum SetupPage {
    enum Language: String, Sendable { case vi, en }

    /// `?lang=` wins, then the first of vi/en in Accept-Language by weight (RFC 9110 §12.5.4), else vi.
    static func language(_ request: HTTPRequest) -> Language {
        if let l = request.query["lang"].flatMap({ Language(rawValue: $0.lowercased()) }) { return l }
        var best: (Language, Double)?
        for item in request.headers.tokens("Accept-Language") {
            let parts = item.split(separator: ";")
            let tag = parts[0].split(separator: "-")[0]
            var q = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            guard let lang = Language(rawValue: String(tag)), q > 0 else { continue }
            if best == nil || q > best!.1 { best = (lang, q) }
        }
        return best?.0 ?? .vi
    }

    struct Text {
        let title: String, intro: String, autoTitle: String, autoBody: String, appleTitle: String
        let appleBody: String, emailLabel: String, appleButton: String, manualTitle: String, manualBody: String
        let incoming: String, outgoing: String, server: String, port: String, security: String
        let username: String, usernameValue: String, password: String, passwordValue: String
        let implicitTLS: String, startTLS: String, alternative: String, help: String, other: String
    }

    static let vi = Text(
        title: "Cài đặt thư công vụ",
        intro: "Bạn chỉ cần địa chỉ thư và mật khẩu do bộ phận quản trị cấp.",
        autoTitle: "Outlook, Thunderbird",
        autoBody: "Thêm tài khoản mới, nhập địa chỉ thư và mật khẩu: chương trình tự tìm cài đặt.",
        appleTitle: "iPhone, iPad, máy Mac",
        appleBody: "Nhập địa chỉ thư, tải hồ sơ cấu hình, rồi mở Cài đặt › Đã tải về hồ sơ để cài đặt.",
        emailLabel: "Địa chỉ thư", appleButton: "Tải hồ sơ cấu hình",
        manualTitle: "Cài đặt thủ công (Android và chương trình khác)",
        manualBody: "Chọn loại tài khoản IMAP và nhập các thông số sau.",
        incoming: "Thư đến (IMAP)", outgoing: "Thư đi (SMTP)", server: "Máy chủ", port: "Cổng",
        security: "Bảo mật", username: "Tên đăng nhập", usernameValue: "địa chỉ thư đầy đủ",
        password: "Mật khẩu", passwordValue: "mật khẩu thư của bạn", implicitTLS: "SSL/TLS",
        startTLS: "STARTTLS", alternative: "Hoặc cổng", help: "Cần hỗ trợ? Liên hệ bộ phận quản trị thư của cơ quan.",
        other: "English")

    static let en = Text(
        title: "Set up your official mail",
        intro: "All you need is the mail address and password your administrator gave you.",
        autoTitle: "Outlook, Thunderbird",
        autoBody: "Add a new account and enter your address and password: the program finds the settings itself.",
        appleTitle: "iPhone, iPad, Mac",
        appleBody: "Enter your address, download the profile, then open Settings › Profile Downloaded to install it.",
        emailLabel: "Mail address", appleButton: "Download profile",
        manualTitle: "Manual set-up (Android and other programs)",
        manualBody: "Choose an IMAP account and enter these settings.",
        incoming: "Incoming mail (IMAP)", outgoing: "Outgoing mail (SMTP)", server: "Server", port: "Port",
        security: "Security", username: "User name", usernameValue: "your full mail address",
        password: "Password", passwordValue: "your mail password", implicitTLS: "SSL/TLS",
        startTLS: "STARTTLS", alternative: "Or port", help: "Need help? Contact your office's mail administrator.",
        other: "Tiếng Việt")

    static func html(_ lang: Language, settings: MailClientSettings, hostname: String) -> String {
        let t = lang == .vi ? vi : en
        let e = markupEscaped
        func security(_ s: MailClientSettings.Server) -> String {
            s.security == .implicitTLS ? t.implicitTLS : t.startTLS
        }
        // The preferred server in full; other listeners of the same protocol as one "or" row.
        func table(_ caption: String, _ servers: [MailClientSettings.Server]) -> String {
            guard let first = servers.first else { return "" }
            let others = servers.dropFirst().map { "<code>\($0.port)</code> · \(e(security($0)))" }
            let alternative =
                others.isEmpty
                ? "" : "<tr><th>\(e(t.alternative))</th><td>\(others.joined(separator: "<br>"))</td></tr>\n"
            return """
                <table><caption>\(e(caption))</caption>
                <tr><th>\(e(t.server))</th><td><code>\(e(first.hostname))</code></td></tr>
                <tr><th>\(e(t.port))</th><td><code>\(first.port)</code></td></tr>
                <tr><th>\(e(t.security))</th><td>\(e(security(first)))</td></tr>
                \(alternative)<tr><th>\(e(t.username))</th><td>\(e(t.usernameValue))</td></tr>
                <tr><th>\(e(t.password))</th><td>\(e(t.passwordValue))</td></tr>
                </table>

                """
        }
        let otherLang = lang == .vi ? "en" : "vi"
        return """
            <!DOCTYPE html>
            <html lang="\(lang.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(t.title)) · \(e(hostname))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23;line-height:1.5}
            header{background:#a50e0e;color:#fff;padding:1rem}
            header div{max-width:58rem;margin:0 auto}
            header h1{margin:0;font-size:1.4rem}
            header p{margin:.25rem 0 0;opacity:.9}
            header a{color:#fff}
            main{max-width:58rem;margin:0 auto;padding:1rem;display:grid;gap:1rem;grid-template-columns:1fr}
            @media (min-width:48rem){main{grid-template-columns:1fr 1fr}}
            section{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
            section.wide{grid-column:1/-1}
            h2{font-size:1.1rem;margin:0 0 .5rem}
            form{display:flex;flex-wrap:wrap;gap:.5rem}
            label{width:100%;font-weight:600}
            input{flex:1 1 12rem;font-size:1rem;padding:.6rem;border:1px solid #8a939c;border-radius:.35rem;min-width:0}
            input,button{font:inherit}
            button{font-size:1rem;padding:.6rem 1rem;border:0;border-radius:.35rem;background:#a50e0e;color:#fff}
            .tables{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
            table{border-collapse:collapse;width:100%}
            caption{text-align:left;font-weight:600;padding:.25rem 0}
            th,td{text-align:left;padding:.35rem .5rem;border-top:1px solid #e1e4e8;vertical-align:top}
            th{width:40%;font-weight:500;color:#4a535c}
            code{font-size:1rem;word-break:break-all}
            footer{max-width:58rem;margin:0 auto;padding:0 1rem 2rem;color:#4a535c}
            </style>
            </head>
            <body>
            <header><div><h1>\(e(t.title))</h1><p>\(e(t.intro)) · <a href="/?lang=\(otherLang)" hreflang="\(otherLang)">\(e(t.other))</a></p></div></header>
            <main>
            <section><h2>\(e(t.autoTitle))</h2><p>\(e(t.autoBody))</p></section>
            <section><h2>\(e(t.appleTitle))</h2><p>\(e(t.appleBody))</p>
            <form method="get" action="/apple/mobileconfig">
            <label for="email">\(e(t.emailLabel))</label>
            <input id="email" name="email" type="email" inputmode="email" autocomplete="email" required placeholder="\(lang == .vi ? "ten.ban@co-quan.gov.vn" : "name@office.gov.vn")">
            <button type="submit">\(e(t.appleButton))</button>
            </form></section>
            <section class="wide"><h2>\(e(t.manualTitle))</h2><p>\(e(t.manualBody))</p>
            <div class="tables">
            \(table(t.incoming, settings.imap))\(table(t.outgoing, settings.submission))</div></section>
            </main>
            <footer>\(e(t.help))</footer>
            </body>
            </html>

            """
    }
}
