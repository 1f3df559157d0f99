import AccountStore
import MailCore
import Provisioning
import XCTest

/// `--disable-missing` cannot disable the province by accident: it can be scoped to one unit, it is
/// refused above a limit unless the number is confirmed, and a dry run lists who would be disabled.
final class DisableMissingGuardTests: ProvisioningTestCase {
    var importer: RosterImporter { RosterImporter(provisioner: provisioner, hashingThreads: 2) }

    /// 3 staff of SO-NV and 15 of H-A (a district under SO-NV), plus X-B under H-A with 2.
    func people() -> [(String, String)] {
        (1...3).map { ("so\($0)", "SO-NV") } + (1...15).map { ("ha\($0)", "H-A") } + (1...2).map { ("xb\($0)", "X-B") }
    }

    func roster(_ rows: [(String, String)]) -> [UInt8] {
        Array(
            (["email,full name,unit code"] + rows.map { "\($0.0)@tinh.gov.vn,Cán bộ \($0.0),\($0.1)" })
                .joined(separator: "\n").utf8)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try store.addUnit(code: "X-B", name: "UBND xã B", level: .commune, parentCode: "H-A")
        try importer.run(roster(people()), options: .init())
    }

    func enabled() throws -> Int { try store.accounts().filter { $0.status == .enabled }.count }

    func testAOneRowRosterIsRefusedAboveTheLimitAndChangesNothing() throws {
        XCTAssertThrowsError(
            try importer.run(roster([("so1", "SO-NV")]), options: .init(disableMissing: true))
        ) { error in
            let e = error as? RosterImporter.TooManyDisables
            XCTAssertEqual([e?.count, e?.limit], [19, 10])
            XCTAssertTrue("\(error)".contains("--max-disable 19"), "\(error)")
        }
        XCTAssertEqual(try enabled(), 20)
        // Confirmed with the exact number, or with --yes, it applies.
        let applied = try importer.run(
            roster([("so1", "SO-NV")]), options: .init(disableMissing: true, maxDisable: 19))
        XCTAssertEqual(applied.plan.disables.count, 19)
        XCTAssertEqual(try enabled(), 1)
    }

    func testADryRunListsEveryoneItWouldDisableEvenAboveTheLimit() throws {
        let dry = try importer.run(roster([("so1", "SO-NV")]), options: .init(dryRun: true, disableMissing: true))
        XCTAssertFalse(dry.applied)
        XCTAssertEqual(dry.plan.disables.count, 19)
        XCTAssertEqual(try enabled(), 20)
    }

    func testAUnitRosterDisablesOnlyInsideThatUnit() throws {
        // H-A's own roster without ha14, ha15 and xb2: only those three leave, SO-NV is untouched.
        let rows = people().filter { $0.1 != "SO-NV" && !["ha14", "ha15", "xb2"].contains($0.0) }
        let outcome = try importer.run(
            roster(rows), options: .init(disableMissing: true, scopeUnitCode: "H-A"))
        XCTAssertEqual(
            Set(outcome.plan.disables.map(\.address.localPart)), ["ha14", "ha15", "xb2"])
        XCTAssertEqual(try enabled(), 17)
        // A sub-unit's roster reaches only the sub-unit.
        let xb = try importer.run(
            roster([("xb1", "X-B")]), options: .init(dryRun: true, disableMissing: true, scopeUnitCode: "x-b"))
        XCTAssertEqual(xb.plan.disables.map(\.address.localPart), [])
    }

    func testAUnitRosterMayNotNameOtherUnits() throws {
        XCTAssertThrowsError(
            try importer.run(
                roster([("ha1", "H-A"), ("so1", "SO-NV")]), options: .init(disableMissing: true, scopeUnitCode: "H-A"))
        ) { error in
            let lines = (error as? RosterErrors)?.errors.map(\.description) ?? ["\(error)"]
            XCTAssertEqual(
                lines,
                ["row 3: the unit SO-NV is outside --unit H-A; a unit's roster may only name H-A and its sub-units"])
        }
        XCTAssertThrowsError(try importer.run(roster([]), options: .init(disableMissing: true, scopeUnitCode: "NOPE")))
        {
            XCTAssertEqual($0 as? DirectoryError, .unknownUnit("NOPE"))
        }
    }
}
