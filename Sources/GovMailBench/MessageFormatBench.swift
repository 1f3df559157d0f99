// MessageFormat benchmark: parse time for a 1 MiB message with attachments and for 10,000 small
// messages (metadata parse, header-only parse, decoded text for SEARCH, section slicing).
import MailCore
import MessageFormat

enum MessageFormatBench {
    static func run(_ args: [String]) throws {
        let iterations = Int(args.first ?? "") ?? 50
        let big = bigMessage()
        let small = (0..<10_000).map(smallMessage)
        let smallBytes = small.reduce(0) { $0 + $1.count }
        print("MessageFormat benchmark (\(iterations) iterations of the 1 MiB message)")

        var parts = 0
        let tBig = measure {
            for _ in 0..<iterations { parts &+= MessageParser.parse(big).root.parts.count }
        }
        print(line("parse 1 MiB message (\(big.count) bytes, 3 parts)", tBig / Double(iterations), "per message"))

        let m = MessageParser.parse(big)
        var textBytes = 0
        let tText = measure {
            for _ in 0..<iterations { textBytes &+= m.decodedBodyTexts(in: big).reduce(0) { $0 + $1.utf8.count } }
        }
        print(line("decoded text for SEARCH, 1 MiB message", tText / Double(iterations), "per message"))

        var decoded = 0
        let tAttach = measure {
            for _ in 0..<iterations { decoded &+= m.root.parts[1].decodedBody(in: big).count }
        }
        print(line("base64-decode the 420 KiB attachment", tAttach / Double(iterations), "per attachment"))

        let tSmall = measure { for s in small { parts &+= MessageParser.parse(s).root.parts.count } }
        print(line("parse 10,000 small messages (\(smallBytes / 10_000) bytes avg)", tSmall, "total"))
        print("    \(Int(Double(small.count) / tSmall)) messages/s, \(format(tSmall / 10_000 * 1e6)) µs per message")

        let tHeader = measure { for s in small { parts &+= MessageParser.parseHeader(s).header.fields.count } }
        print(line("header-only parse of 10,000 small messages", tHeader, "total"))

        let parsed = small.map { MessageParser.parse($0) }
        let spec = SectionSpec(part: [], text: .headerFields(["From", "To", "Subject", "Date"]))
        var sliced = 0
        let tFields = measure {
            for p in parsed { if case .bytes(let b)? = p.content(of: spec) { sliced &+= b.count } }
        }
        print(line("HEADER.FIELDS (From To Subject Date) from cached structure x10,000", tFields, "total"))
        let tEnv = measure { for p in parsed { sliced &+= p.envelope.from?.count ?? 0 } }
        print(line("envelope access from cached structure x10,000", tEnv, "total"))
        print("(checksum \(parts &+ textBytes &+ decoded &+ sliced))")
    }

    static func measure(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func line(_ what: String, _ seconds: Double, _ unit: String) -> String {
        "  \(what): \(format(seconds * 1000)) ms \(unit)"
    }

    static func format(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return "\(r)"
    }

    /// A text part, a 420 KiB base64 PDF-like attachment and a forwarded message with a 300 KiB
    /// base64 attachment: about 1 MiB in all.
    static func bigMessage() -> [UInt8] {
        var s = """
            From: =?utf-8?q?V=C4=83n_th=C6=B0?= <vanthu@tinh.gov.vn>\r
            To: Nhóm: a@tinh.gov.vn, b@tinh.gov.vn;\r
            Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?=\r
            Date: Fri, 27 Nov 2026 10:58:20 +0700\r
            Message-ID: <big@tinh.gov.vn>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r

            """
        for i in 0..<200 {
            s += "D=C3=B2ng s=E1=BB=91 \(i): K=C3=ADnh g=E1=BB=ADi c=C3=A1c =C4=91=C6=A1n v=E1=BB=8B.\r\n"
        }
        s += "--b1\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
        s += "Content-Disposition: attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf\r\n\r\n"
        s += base64Lines(bytes: 420 * 1024, seed: 1)
        s += "--b1\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y.vn\r\nSubject: fwd\r\n"
        s += "Content-Type: multipart/mixed; boundary=b2\r\n\r\n--b2\r\n\r\ninner text\r\n--b2\r\n"
        s += "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        s += base64Lines(bytes: 300 * 1024, seed: 2)
        s += "--b2--\r\n--b1--\r\n"
        return Array(s.utf8)
    }

    static func base64Lines(bytes: Int, seed: UInt8) -> String {
        var data = [UInt8](repeating: 0, count: 57)
        var out = ""
        out.reserveCapacity(bytes * 4 / 3 + bytes / 20)
        var x = seed
        for _ in 0..<(bytes / 57) {
            for k in 0..<57 { x = x &* 31 &+ 7; data[k] = x }
            out += Base64.encode(data) + "\r\n"
        }
        return out
    }

    /// A typical short official message, multipart/alternative, about 2 KiB.
    static func smallMessage(_ i: Int) -> [UInt8] {
        var s = """
            Return-Path: <nguoigui\(i)@tinh.gov.vn>\r
            Received: from mail.tinh.gov.vn by mail.tinh.gov.vn with ESMTPSA id \(i);\r
            \tFri, 27 Nov 2026 10:58:20 +0700\r
            From: =?utf-8?q?Ph=C3=B2ng_\(i)?= <nguoigui\(i)@tinh.gov.vn>\r
            To: "Nguyễn Văn A" <a@tinh.gov.vn>, b@tinh.gov.vn\r
            Cc: Nhóm: c@tinh.gov.vn;\r
            Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?= \(i)\r
            Date: Fri, 27 Nov 2026 10:58:20 +0700\r
            Message-ID: <\(i)@tinh.gov.vn>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/alternative; boundary="alt\(i)"\r
            \r
            --alt\(i)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r

            """
        for _ in 0..<8 {
            s +=
                "K=C3=ADnh g=E1=BB=ADi c=C3=A1c =C4=91=C6=A1n v=E1=BB=8B, v=E1=BB=81 vi=E1=BB=87c tri=E1=BB=83n khai.\r\n"
        }
        s +=
            "--alt\(i)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        for _ in 0..<8 {
            s += "<p>K=C3=ADnh g=E1=BB=ADi c=C3=A1c =C4=91=C6=A1n v=E1=BB=8B, v=E1=BB=81 vi=E1=BB=87c.</p>\r\n"
        }
        s += "--alt\(i)--\r\n"
        return Array(s.utf8)
    }
}
