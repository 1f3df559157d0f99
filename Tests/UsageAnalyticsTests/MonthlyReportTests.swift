import XCTest
@testable import UsageAnalytics

/// Hand-computed expectations for the synthetic province (see SyntheticProvince for the story).
final class MonthlyReportTests: XCTestCase {
    /// Minimum unit size 3, so only X2 (2 staff) is merged and most units show their own figures.
    let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 3)

    func report(_ settings: ReportSettings? = nil, unit: String? = nil, later: Bool = false) throws -> MonthlyReport {
        try UsageReports.monthly(
            from: SyntheticProvince.dataset(includingLaterHistory: later),
            month: SyntheticProvince.october, settings: settings ?? self.settings, unitCode: unit)
    }

    func row(_ r: MonthlyReport, _ code: String) throws -> UnitRow {
        try XCTUnwrap(r.units.first { $0.code == code }, "no published row \(code)")
    }

    func testOrganisationFigures() throws {
        let o = try report().organisation
        // Staff per unit: P 3, SO1 4, SO2 3, H1 3, X1 3, X2 2, H2 3, X3 3 = 24; active 1+3+1+2+2+1+2+1 = 13.
        XCTAssertEqual(o.staff, 24)
        XCTAssertEqual(o.active, 13)
        XCTAssertEqual(o.usedAtLeastOnce, 17)  // 2+4+2+2+2+1+3+1
        XCTAssertEqual(o.notUsed, 7)
        XCTAssertEqual(o.share, 13.0 / 24.0)
        // September: 25 staff (t2 and t6 still staff, s4 not yet), active p1 and s2.
        XCTAssertEqual(try XCTUnwrap(o.shareChange), 13.0 / 24.0 - 2.0 / 25.0, accuracy: 1e-12)
        // Sent by staff: p1 3 + s1 1 + s2 9 (the shared mailbox's 100 do not count); signed: s2 4.
        XCTAssertEqual(o.messagesSent, 13)
        XCTAssertEqual(o.messagesSigned, 4)
        XCTAssertEqual(o.sentInternalRecipients, 10)
        XCTAssertEqual(o.sentExternalRecipients, 5)
        XCTAssertEqual(o.messagesReceived, 70)
        XCTAssertEqual(o.messagesSentPerActive, 1.0)
        XCTAssertEqual(o.signedShare, 4.0 / 13.0)
        // Signed and verified (smime=pass): 3 of s2's 4; the shared mailbox's 100 do not count.
        XCTAssertEqual(o.messagesSignedVerified, 3)
        XCTAssertEqual(o.signedVerifiedShare, 3.0 / 13.0)
        XCTAssertFalse(o.belowTarget)
    }

    func testSharePerUnitOnItsOwnAndRolledUp() throws {
        let r = try report()
        XCTAssertEqual(r.units.map(\.code), ["P", "SO1", "SO2", "H1", "X1", "H2", "X3"])
        XCTAssertEqual(r.units.map(\.depth), [0, 1, 1, 1, 2, 1, 2])
        XCTAssertEqual(r.unpublishedUnitCount, 1)

        let p = try row(r, "P")
        XCTAssertEqual([p.own.staff, p.own.active, p.own.usedAtLeastOnce], [3, 1, 2])
        XCTAssertEqual(p.own.share, 1.0 / 3.0)
        XCTAssertEqual(p.own.shareChange, 0)  // 1/3 in September too
        XCTAssertEqual(p.own.messagesSentPerActive, 3.0)
        XCTAssertEqual(p.own.signedShare, 0)
        XCTAssertEqual([p.rolledUp.staff, p.rolledUp.active], [24, 13])
        XCTAssertNil(p.parentCode)

        // s4 (created 20 Oct) counts; h2 moved out on 15 Oct counts in H1, not here.
        let so1 = try row(r, "SO1")
        XCTAssertEqual([so1.own.staff, so1.own.active, so1.own.usedAtLeastOnce], [4, 3, 4])
        XCTAssertEqual(so1.own.share, 3.0 / 4.0)
        XCTAssertEqual(try XCTUnwrap(so1.own.shareChange), 3.0 / 4.0 - 1.0 / 4.0, accuracy: 1e-12)
        XCTAssertEqual(so1.own.messagesSentPerActive, 10.0 / 3.0)
        XCTAssertEqual(so1.own.signedShare, 0.4)
        XCTAssertEqual(so1.parentCode, "P")

        // t2 (disabled in September), t4 (created in November), t6 (deleted at the first instant) are not staff.
        let so2 = try row(r, "SO2")
        XCTAssertEqual([so2.own.staff, so2.own.active, so2.own.usedAtLeastOnce], [3, 1, 2])
        XCTAssertEqual(so2.own.share, 1.0 / 3.0)
        XCTAssertEqual(so2.own.shareChange, 1.0 / 3.0 - 0.0)  // September: 5 staff, nobody active
        XCTAssertNil(so2.own.messagesSentPerActive.flatMap { $0 == 0 ? nil : $0 })

        // H1 on its own: h1, h2 (moved in), h4 (disabled, then moved away while disabled) + merged X2 (y1, y2).
        let h1 = try row(r, "H1")
        XCTAssertEqual(h1.mergedUnits, ["X2"])
        XCTAssertEqual([h1.own.staff, h1.own.active], [5, 3])
        XCTAssertEqual(h1.own.share, 3.0 / 5.0)
        XCTAssertEqual(h1.own.shareChange, 3.0 / 5.0)  // September: h1, h3, h4 + y1, y2 = 5, none active
        XCTAssertEqual([h1.rolledUp.staff, h1.rolledUp.active], [8, 5])
        XCTAssertEqual(h1.rolledUp.share, 5.0 / 8.0)

        // X1: x1, x2 (only received mail: not use), h3 (moved in on 10 Oct, disabled 20 Oct).
        let x1 = try row(r, "X1")
        XCTAssertEqual([x1.own.staff, x1.own.active, x1.own.usedAtLeastOnce, x1.own.notUsed], [3, 2, 2, 1])
        XCTAssertEqual(x1.own.share, 2.0 / 3.0)
        XCTAssertEqual(x1.rolledUp, x1.own)
        XCTAssertEqual(x1.parentCode, "H1")

        let h2 = try row(r, "H2")
        XCTAssertEqual([h2.own.staff, h2.own.active, h2.own.usedAtLeastOnce], [3, 2, 3])
        XCTAssertEqual([h2.rolledUp.staff, h2.rolledUp.active], [6, 3])
        XCTAssertEqual(h2.rolledUp.share, 0.5)
        XCTAssertFalse(h2.rolledUp.belowTarget)  // exactly at target is not below

        let x3 = try row(r, "X3")
        XCTAssertEqual([x3.own.staff, x3.own.active], [3, 1])  // zsvc is a service account
        XCTAssertEqual(x3.own.share, 1.0 / 3.0)
    }

    func testPerLevel() throws {
        let levels = try report().levels
        XCTAssertEqual(levels.map(\.level), [.province, .district, .commune])
        // province: P + SO1 + SO2 = 10 staff, 5 active; September 12 staff, 2 active.
        XCTAssertEqual([levels[0].figures.staff, levels[0].figures.active], [10, 5])
        XCTAssertEqual(levels[0].figures.share, 0.5)
        XCTAssertEqual(try XCTUnwrap(levels[0].figures.shareChange), 0.5 - 2.0 / 12.0, accuracy: 1e-12)
        // A level sums the published rows of that level (so no hidden unit is level − rows):
        // district: H1 own (h1, h2, h4 + merged X2: y1, y2) + H2 own = 8 staff, 5 active.
        XCTAssertEqual([levels[1].figures.staff, levels[1].figures.active], [8, 5])
        XCTAssertEqual(levels[1].figures.share, 5.0 / 8.0)
        // commune: X1 + X3 = 6 staff, 3 active (X2 is counted with H1 above).
        XCTAssertEqual([levels[2].figures.staff, levels[2].figures.active], [6, 3])
        XCTAssertEqual(levels[2].figures.share, 0.5)
        XCTAssertFalse(levels[2].figures.belowTarget)
    }

    func testBelowTargetUsesOwnShare() throws {
        XCTAssertEqual(try report().unitsBelowTarget, ["P", "SO2", "X3"])
    }

    func testRankingsUseTheOwnShareAndItsChange() throws {
        let r = try report()
        // Own shares: SO1 3/4, X1 2/3, H2 2/3, H1 3/5, then P, SO2, X3 at 1/3 (ties in tree order).
        XCTAssertEqual(r.ranking.byShare, ["SO1", "X1", "H2", "H1", "P", "SO2", "X3"])
        // Changes: H2 +2/3, H1 +3/5, SO1 +1/2, SO2 and X3 +1/3, P 0. X1 had 2 staff in September
        // (below the floor of 3), so it has no change and is not ranked by it.
        XCTAssertNil(try row(r, "X1").own.shareChange)
        XCTAssertEqual(r.ranking.byChange, ["H2", "H1", "SO1", "SO2", "X3", "P"])
        XCTAssertEqual(try row(r, "P").own.activeNeededForTarget, 1)  // 1 of 3 → 2 of 3 reaches 50%
        XCTAssertEqual(try row(r, "X3").own.activeNeededForTarget, 1)
        XCTAssertEqual(try row(r, "SO1").own.activeNeededForTarget, 0)
    }

    func testEachUnitHasItsOwnTrendUnderTheSameFloor() throws {
        let r = try report()
        let h1 = try row(r, "H1"), x1 = try row(r, "X1")
        XCTAssertEqual(h1.trend.map(\.month), r.trend.map(\.month))
        XCTAssertEqual(h1.trend.last?.staff, 8)
        XCTAssertEqual(h1.trend.last?.share, 5.0 / 8.0)
        XCTAssertEqual(h1.trend[10].staff, 7)  // September: h1, h3, h4, x1, x2, y1, y2
        XCTAssertEqual(h1.trend[0].suppressed, true)  // nobody yet in November 2025
        XCTAssertEqual(x1.trend[10].suppressed, true)  // 2 staff in September: below the floor
        XCTAssertNil(x1.trend[10].share)
        XCTAssertEqual(x1.trend.last?.staff, 3)
    }

    func testTwelveMonthTrend() throws {
        let trend = try report().trend
        XCTAssertEqual(
            trend.map(\.month.description),
            [
                "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                "2026-07", "2026-08", "2026-09", "2026-10",
            ])
        // Nobody existed before 2026-01-01: no share rather than 0%.
        XCTAssertEqual(trend[0].staff, 0)
        XCTAssertNil(trend[0].share)
        XCTAssertNil(trend[1].share)
        for point in trend[2...9] {
            XCTAssertEqual([point.staff, point.active], [25, 0], point.month.description)
            XCTAssertEqual(point.share, 0)
        }
        XCTAssertEqual(trend[10].share, 2.0 / 25.0)
        XCTAssertEqual(trend[11].share, 13.0 / 24.0)
    }

    func testClientMixCountsStaffOnlyAndPoolsRareClients() throws {
        let clients = try report().clients
        // Thunderbird: p1, s1, s2 (the shared mailbox is not staff); Outlook (x1) and k1's client are rare.
        XCTAssertEqual(
            clients,
            [
                ClientRow(client: "Thunderbird", accounts: 3, sessions: 9),
                ClientRow(client: nil, accounts: 2, sessions: 4),
            ])
        let defaults = try report(ReportSettings()).clients
        XCTAssertEqual(defaults, [ClientRow(client: nil, accounts: 5, sessions: 13)])
    }

    func testDefaultMinimumMergesSmallUnitsIntoParents() throws {
        let r = try report(ReportSettings())  // minimum 5
        // Rolled-up staff: SO1 4, SO2 3, X1 3, X2 2, X3 3 are below 5 and merge into their parents.
        XCTAssertEqual(r.units.map(\.code), ["P", "H1", "H2"])
        XCTAssertEqual(r.unpublishedUnitCount, 5)
        let p = try row(r, "P"), h1 = try row(r, "H1"), h2 = try row(r, "H2")
        XCTAssertEqual(p.mergedUnits, ["SO1", "SO2"])
        XCTAssertEqual([p.own.staff, p.own.active], [10, 5])
        XCTAssertEqual(p.own.share, 0.5)
        XCTAssertEqual(h1.mergedUnits, ["X1", "X2"])
        XCTAssertEqual([h1.own.staff, h1.own.active], [8, 5])
        XCTAssertEqual(h1.own, h1.rolledUp)
        XCTAssertEqual([h2.own.staff, h2.own.active], [6, 3])
        XCTAssertEqual(r.organisation.share, 13.0 / 24.0)  // totals never lose anyone
        // No published row describes fewer than 5 people.
        XCTAssertTrue(r.units.allSatisfy { $0.own.staff >= 5 })
    }

    func testTooSmallTopUnitAppearsOnlyInTotals() throws {
        let units = [UnitRecord(code: "A", name: "Tiny", level: .province)]
        let events = (1...2).map {
            AccountEvent(
                accountID: Int64($0), at: SyntheticProvince.at(2026, 1, 1), kind: .created,
                unitCode: "A", accountKind: .staff)
        }
        let ds = InMemoryUsageDataset(
            units: units, accounts: [], history: events,
            activity: SyntheticProvince.logins("p1", SyntheticProvince.october, [1, 2, 3, 4]))
        let r = try UsageReports.monthly(from: ds, month: SyntheticProvince.october)
        XCTAssertEqual(r.units, [])
        XCTAssertEqual(r.unpublishedUnitCount, 1)
        XCTAssertEqual([r.organisation.staff, r.organisation.active], [2, 1])
        XCTAssertEqual(r.levels, [])  // a level with fewer than 5 staff is not shown either
    }

    func testClosedMonthIsReproducibleAfterLaterChanges() throws {
        let before = try report()
        let after = try report(later: true)
        XCTAssertEqual(before, after)
        XCTAssertEqual(try report(ReportSettings()), try report(ReportSettings(), later: true))
    }

    func testUnitScopeLimitsEverything() throws {
        let r = try report(unit: "H1")
        XCTAssertEqual(r.scopeUnitCode, "H1")
        XCTAssertEqual(r.scopeUnitName, "UBND huyện Hoa Lư")
        XCTAssertEqual([r.organisation.staff, r.organisation.active], [8, 5])
        XCTAssertEqual(r.units.map(\.code), ["H1", "X1"])
        XCTAssertEqual(r.units.map(\.depth), [0, 1])
        XCTAssertNil(r.units[0].parentCode)
        XCTAssertEqual(r.trend.last?.share, 5.0 / 8.0)
        XCTAssertEqual(r.trend[10].staff, 7)  // September: h1, h3, h4, x1, x2, y1, y2 (h2 was in SO1)
        XCTAssertThrowsError(try report(unit: "NOPE")) { error in
            XCTAssertEqual(error as? ReportError, .unknownUnit("NOPE"))
            XCTAssertTrue("\(error)".contains("govmail unit list"))
        }
    }

    func testActiveMinDaysIsConfigurable() throws {
        // With 3 days, s3 (3 days) and t3 (2 days: no) change: s3 becomes active.
        let r = try report(ReportSettings(activeMinDays: 3, targetShare: 0.5, minimumUnitSize: 3))
        XCTAssertEqual(try row(r, "SO1").own.active, 4)
        XCTAssertEqual(r.organisation.active, 14)
    }

    func testTimeZoneDecidesTheMonthOfAnEvent() throws {
        // Created at 2026-11-01 03:00 in Hanoi, which is still 31 October (20:00) in UTC.
        let created = SyntheticProvince.at(2026, 11, 1, 3)
        let units = [UnitRecord(code: "A", name: "A", level: .province)]
        let events = (1...5).map {
            AccountEvent(
                accountID: Int64($0), at: created, kind: .created, unitCode: "A",
                accountKind: .staff)
        }
        let ds = InMemoryUsageDataset(units: units, accounts: [], history: events, activity: [])
        let hanoi = try UsageReports.monthly(from: ds, month: SyntheticProvince.october)
        XCTAssertEqual(hanoi.organisation.staff, 0)
        XCTAssertNil(hanoi.organisation.share)
        let utc = try UsageReports.monthly(
            from: ds, month: SyntheticProvince.october, settings: ReportSettings(timeZone: "UTC"))
        XCTAssertEqual(utc.organisation.staff, 5)
        XCTAssertEqual(utc.organisation.share, 0)
        XCTAssertThrowsError(try report(ReportSettings(timeZone: "Mars/Olympus"))) { error in
            XCTAssertTrue("\(error)".contains("IANA"))
        }
    }

    func testAccountKindChangeCounts() throws {
        // An account that became a shared mailbox on 5 October was a staff account for 4 days of it.
        let at = SyntheticProvince.at
        let events = [
            AccountEvent(accountID: 1, at: at(2026, 1, 1, 0), kind: .created, unitCode: "A", accountKind: .staff),
            AccountEvent(accountID: 1, at: at(2026, 10, 5, 0), kind: .moved, unitCode: "A", accountKind: .shared),
            AccountEvent(accountID: 2, at: at(2026, 1, 1, 0), kind: .created, unitCode: "A", accountKind: .shared),
            AccountEvent(accountID: 2, at: at(2026, 10, 31, 23), kind: .moved, unitCode: "A", accountKind: .staff),
            AccountEvent(accountID: 3, at: at(2026, 1, 1, 0), kind: .created, unitCode: "A", accountKind: .shared),
        ]
        let history = AccountHistory(events)
        let (start, end) = SyntheticProvince.october.interval(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        XCTAssertEqual(history.staffUnits(from: start, to: end), [1: "A", 2: "A"])
    }
}

final class UnitOrderTests: XCTestCase {
    func testCodesSortAsPeopleReadThem() {
        let codes = ["X10", "X2", "X1", "H1", "X02", "SO", "X1a"]
        XCTAssertEqual(codes.sorted(by: naturalOrder), ["H1", "SO", "X1", "X1a", "X2", "X02", "X10"])
    }
}

final class AccountHistoryTests: XCTestCase {
    func testEnabledAtAnyInstantOfTheMonth() throws {
        func at(_ y: Int, _ m: Int, _ d: Int, _ hour: Int = 0) -> Double { SyntheticProvince.at(y, m, d, hour) }
        func e(_ id: Int64, _ kind: AccountEvent.Kind, _ t: Double, _ unit: String = "A") -> AccountEvent {
            AccountEvent(accountID: id, at: t, kind: kind, unitCode: unit, accountKind: .staff)
        }
        let events = [
            // 1: disabled all September, re-enabled on 25 October in unit B → staff, in B.
            e(1, .created, at(2026, 1, 1)), e(1, .disabled, at(2026, 9, 1)), e(1, .enabled, at(2026, 10, 25), "B"),
            // 2: created and disabled within one October day → staff.
            e(2, .created, at(2026, 10, 7, 9)), e(2, .disabled, at(2026, 10, 7, 11)),
            // 3: created already disabled (same instant) → never enabled, not staff.
            e(3, .created, at(2026, 10, 7, 9)), e(3, .disabled, at(2026, 10, 7, 9)),
            // 4: disabled at the very last second of October, then moved in November → staff, in A.
            e(4, .created, at(2026, 1, 1)), e(4, .disabled, at(2026, 11, 1) - 1), e(4, .moved, at(2026, 11, 2), "C"),
            // 5: events given out of order are replayed by time: C on 2 Oct, then B on 3 Oct → ends in B.
            e(5, .moved, at(2026, 10, 3), "B"), e(5, .created, at(2026, 1, 1)), e(5, .moved, at(2026, 10, 2), "C"),
            // 6: deleted in September, never back → not staff.
            e(6, .created, at(2026, 1, 1)), e(6, .deleted, at(2026, 9, 30, 23)),
        ]
        let (start, end) = SyntheticProvince.october.interval(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        XCTAssertEqual(AccountHistory(events).staffUnits(from: start, to: end), [1: "B", 2: "A", 4: "A", 5: "B"])
    }
}

final class ClientNameTests: XCTestCase {
    func testClientNamesFromTheNetworkAreCleaned() {
        XCTAssertEqual(AnalyticsInput.cleanClientName("  Thunderbird\u{200B} "), "Thunderbird")
        XCTAssertEqual(AnalyticsInput.cleanClientName("Evil\u{1B}[31m\r\n"), "Evil[31m")
        XCTAssertNil(AnalyticsInput.cleanClientName(" \t\u{7F} "))
        XCTAssertEqual(AnalyticsInput.cleanClientName(String(repeating: "é", count: 100))?.count, 64)
        XCTAssertEqual(AnalyticsInput.cleanClientName("Thư điện tử VNPT"), "Thư điện tử VNPT")
    }
}
