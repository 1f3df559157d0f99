import MailCore
@testable import UsageAnalytics

/// A small synthetic province whose October 2026 figures are computed by hand in the tests.
///
/// Units (code, level, parent):
///   P   UBND tỉnh Ninh Bình (province)
///   ├ SO1 Sở Thông tin và Truyền thông (province)
///   ├ SO2 Sở Tài chính <Kế hoạch & Đầu tư> (province; name tests escaping)
///   ├ H1  UBND huyện Hoa Lư (district)
///   │ ├ X1 UBND xã Ninh Hải (commune)
///   │ └ X2 UBND xã Trường Yên (commune; 2 staff, merged when the minimum is 3)
///   └ H2  UBND huyện Kim Sơn (district)
///     └ X3 UBND xã Kim Đông, "mới" (commune; name tests CSV quoting)
///
/// All accounts are created 2026-01-01 00:00 local time unless said otherwise. October 2026 story:
///   P:   p1 active (5 days), p2 used 2 days, p3 never; pshared (shared) and psvc (service) are active but not staff.
///   SO1: s1 active on exactly 4 days (IMAP, IMAP, SMTP AUTH only, submission only), s2 active 10 days,
///        s3 used 3 days (one short), s4 created 2026-10-20 and active 4 days.
///   SO2: t1 active; t2 disabled 2026-09-15 (not staff in October); t3 disabled 2026-10-05 09:00 after 2 days;
///        t4 created 2026-11-02 (not staff in October); t5 never; t6 deleted exactly at 2026-10-01 00:00 local.
///   H1:  h1 active; h2 moved SO1→H1 on 2026-10-15 (3 days of use before, 3 after: counts in H1);
///        h3 moved H1→X1 on 2026-10-10 and disabled 2026-10-20, 4 days of use (counts in X1);
///        h4 disabled 2026-10-10, then moved to SO2 on 2026-10-12 while disabled (counts in H1), never used.
///   X1:  x1 active, x2 only *received* mail on 10 days (not use).
///   X2:  y1 active, y2 never.
///   H2:  k1 active, k2 active, k3 used 1 day.
///   X3:  z1, z2 never, z3 active; zsvc (service) active.
/// September 2026: p1 and s2 active (5 days each), nobody else used mail.
enum SyntheticProvince {
    static let domain = "ninhbinh.gov.vn"
    static let october = try! ReportMonth("2026-10")

    /// Seconds since the epoch of a local time in Asia/Ho_Chi_Minh (UTC+7, no DST), computed without
    /// Foundation's calendar (days-from-civil), so the tests do not reuse the code under test.
    static func at(_ y: Int, _ m: Int, _ d: Int, _ hour: Int = 0) -> Double {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hour * 3600 - 7 * 3600)
    }

    static let units: [UnitRecord] = [
        UnitRecord(code: "P", name: "UBND tỉnh Ninh Bình", level: .province),
        UnitRecord(code: "SO1", name: "Sở Thông tin và Truyền thông", level: .province, parentCode: "P"),
        UnitRecord(code: "SO2", name: "Sở Tài chính <Kế hoạch & Đầu tư>", level: .province, parentCode: "P"),
        UnitRecord(code: "H1", name: "UBND huyện Hoa Lư", level: .district, parentCode: "P"),
        UnitRecord(code: "X1", name: "UBND xã Ninh Hải", level: .commune, parentCode: "H1"),
        UnitRecord(code: "X2", name: "UBND xã Trường Yên", level: .commune, parentCode: "H1"),
        UnitRecord(code: "H2", name: "UBND huyện Kim Sơn", level: .district, parentCode: "P"),
        UnitRecord(code: "X3", name: "UBND xã Kim Đông, \"mới\"", level: .commune, parentCode: "H2"),
    ]

    /// (local part, display name, unit at creation, kind)
    static let people: [(String, String, String, AccountKind)] = [
        ("p1", "Nguyễn Văn An", "P", .staff), ("p2", "Trần Thị Bình", "P", .staff), ("p3", "Lê Văn Cường", "P", .staff),
        ("pshared", "Văn thư tỉnh", "P", .shared), ("psvc", "Máy quét", "P", .service),
        ("s1", "Phạm Thị Dung", "SO1", .staff), ("s2", "Hoàng Văn Em", "SO1", .staff),
        ("s3", "Vũ Thị Giang", "SO1", .staff),
        ("s4", "Đặng Văn Hải", "SO1", .staff),
        ("t1", "Bùi Thị Hoa", "SO2", .staff), ("t2", "Đỗ Văn Khánh", "SO2", .staff),
        ("t3", "Hồ Thị Lan", "SO2", .staff),
        ("t4", "Ngô Văn Minh", "SO2", .staff), ("t5", "Dương Thị Nga", "SO2", .staff),
        ("t6", "Lý Văn Oanh", "SO2", .staff),
        ("h1", "Mai Thị Phương", "H1", .staff), ("h2", "Trịnh Văn Quang", "SO1", .staff),
        ("h3", "Đinh Thị Rạng", "H1", .staff),
        ("h4", "Lương Văn Sơn", "H1", .staff),
        ("x1", "Tạ Thị Thu", "X1", .staff), ("x2", "Cao Văn Uy", "X1", .staff),
        ("y1", "Phan Thị Vân", "X2", .staff), ("y2", "Hà Văn Xuân", "X2", .staff),
        ("k1", "Chu Thị Yến", "H2", .staff), ("k2", "Kiều Văn Ánh", "H2", .staff), ("k3", "Lã Thị Bích", "H2", .staff),
        ("z1", "Quách Văn Chiến", "X3", .staff), ("z2", "Tôn Thị Diệp", "X3", .staff),
        ("z3", "Mạc Văn Đức", "X3", .staff),
        ("zsvc", "Hệ thống một cửa", "X3", .service),
    ]

    static func id(_ local: String) -> Int64 { Int64(people.firstIndex { $0.0 == local }! + 1) }
    static func unit(_ local: String) -> String { people.first { $0.0 == local }!.2 }
    static func kind(_ local: String) -> AccountKind { people.first { $0.0 == local }!.3 }

    static func event(_ local: String, _ kind: AccountEvent.Kind, _ at: Double, unit: String? = nil) -> AccountEvent {
        AccountEvent(
            accountID: id(local), at: at, kind: kind, unitCode: unit ?? self.unit(local), accountKind: self.kind(local))
    }

    static var history: [AccountEvent] {
        var events: [AccountEvent] = []
        for (local, _, _, _) in people where local != "s4" && local != "t4" {
            events.append(event(local, .created, at(2026, 1, 1)))
        }
        events += [
            event("s4", .created, at(2026, 10, 20, 8)),
            event("t4", .created, at(2026, 11, 2, 8)),
            event("t2", .disabled, at(2026, 9, 15, 17)),
            event("t3", .disabled, at(2026, 10, 5, 9)),
            event("t6", .deleted, at(2026, 10, 1, 0)),
            event("h2", .moved, at(2026, 10, 15, 10), unit: "H1"),
            event("h3", .moved, at(2026, 10, 10, 10), unit: "X1"),
            event("h3", .disabled, at(2026, 10, 20, 16), unit: "X1"),
            event("h4", .disabled, at(2026, 10, 10, 9)),
            event("h4", .moved, at(2026, 10, 12, 9), unit: "SO2"),
        ]
        return events
    }

    /// Events after October that must not change October's report.
    static var laterHistory: [AccountEvent] {
        [
            event("s1", .moved, at(2026, 11, 3, 9), unit: "SO2"),
            event("x1", .deleted, at(2026, 11, 10, 9), unit: "X1"),
            event("k1", .disabled, at(2026, 11, 4, 9)),
            event("h1", .moved, at(2026, 11, 5, 9), unit: "X2"),
        ]
    }

    static func day(_ m: ReportMonth, _ d: Int) -> String { "\(m.description)-\(d < 10 ? "0" : "")\(d)" }

    /// One IMAP login on each given day.
    static func logins(_ local: String, _ month: ReportMonth, _ days: [Int]) -> [DailyActivity] {
        days.map { DailyActivity(accountID: id(local), day: day(month, $0), imapLogins: 1) }
    }

    static var activity: [DailyActivity] {
        let oct = october, sep = october.previous
        var rows: [DailyActivity] = []
        rows += logins("p1", oct, [1, 2, 5, 6, 7])
        rows += [DailyActivity(accountID: id("p1"), day: day(oct, 7), messagesSent: 3, sentInternalRecipients: 3)]
        rows += logins("p2", oct, [8, 9])
        rows += logins("pshared", oct, Array(1...20))
        rows += [DailyActivity(accountID: id("pshared"), day: day(oct, 2), messagesSent: 100, messagesSigned: 100, messagesSignedVerified: 100)]
        rows += logins("psvc", oct, Array(1...31))
        rows += logins("s1", oct, [1, 2])
        rows += [
            DailyActivity(accountID: id("s1"), day: day(oct, 3), smtpAuths: 1),
            DailyActivity(accountID: id("s1"), day: day(oct, 4), messagesSent: 1, sentExternalRecipients: 2),
        ]
        rows += logins("s2", oct, Array(1...10))
        rows += [
            DailyActivity(
                accountID: id("s2"), day: day(oct, 12), smtpAuths: 1, messagesSent: 9,
                sentInternalRecipients: 7, sentExternalRecipients: 3, messagesSigned: 4, messagesReceived: 20,
                messagesSignedVerified: 3)
        ]
        rows += logins("s3", oct, [1, 15, 31])
        rows += logins("s4", oct, [20, 21, 22, 23])
        rows += logins("t1", oct, [1, 8, 15, 22, 29])
        rows += logins("t3", oct, [1, 2])
        rows += logins("h1", oct, [5, 6, 7, 8])
        rows += logins("h2", oct, [1, 2, 3, 20, 21, 22])
        rows += logins("h3", oct, [1, 11, 12, 13])
        rows += logins("x1", oct, [1, 2, 3, 4])
        rows += (1...10).map { DailyActivity(accountID: id("x2"), day: day(oct, $0), messagesReceived: 5) }
        rows += logins("y1", oct, [1, 2, 3, 4])
        rows += logins("k1", oct, [1, 2, 3, 4])
        rows += logins("k2", oct, [5, 6, 7, 8])
        rows += logins("k3", oct, [9])
        rows += logins("z3", oct, [1, 2, 3, 4, 5])
        rows += logins("zsvc", oct, Array(1...31))
        rows += logins("p1", sep, [1, 2, 3, 4, 5])
        rows += logins("s2", sep, [1, 2, 3, 4, 5])
        rows += logins("t3", sep, [1, 2, 3])
        return rows
    }

    static var clientUse: [DailyClientUse] {
        let oct = october
        return [
            DailyClientUse(accountID: id("p1"), day: day(oct, 1), client: "Thunderbird", count: 2),
            DailyClientUse(accountID: id("s1"), day: day(oct, 1), client: "Thunderbird", count: 1),
            DailyClientUse(accountID: id("s2"), day: day(oct, 2), client: "Thunderbird", count: 5),
            DailyClientUse(accountID: id("s2"), day: day(oct, 3), client: "Thunderbird", count: 1),
            DailyClientUse(accountID: id("pshared"), day: day(oct, 1), client: "Thunderbird", count: 50),
            DailyClientUse(accountID: id("x1"), day: day(oct, 1), client: "Outlook", count: 3),
            DailyClientUse(accountID: id("k1"), day: day(oct, 1), client: "Evil\u{1B}[31m", count: 1),
        ]
    }

    static var accounts: [AccountIdentity] {
        people.map {
            AccountIdentity(accountID: id($0.0), address: try! EmailAddress("\($0.0)@\(domain)"), displayName: $0.1)
        }
    }

    static func dataset(includingLaterHistory: Bool = false) -> InMemoryUsageDataset {
        InMemoryUsageDataset(
            units: units, accounts: accounts,
            history: history + (includingLaterHistory ? laterHistory : []),
            activity: activity, clientUse: clientUse)
    }
}
