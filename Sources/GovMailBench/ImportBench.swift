// Roster import benchmark: a generated province of 6,203 staff in about 150 units over three levels,
// imported into a fresh state folder with or without generated initial passwords.
import AccountStore
import Credentials
import Foundation
import MailCore
import MaildirStore
import Provisioning

enum ImportBench {
    static let about =
        "import a generated roster (default 6,203 staff, ~150 units); options: --passwords|--no-passwords|--both, --staff N, --log-n N, --initial-log-n N, --threads N"

    struct Options {
        var staff = 6_203
        var modes: [Bool] = [false, true]
        var logN = 15
        var threads = 2
        /// scrypt log2(N) for generated initial passwords; nil = the importer's default.
        var initialLogN: Int?
    }

    static func parse(_ args: [String]) throws -> Options {
        var o = Options()
        var i = 0
        func value() throws -> Int {
            i += 1
            guard i < args.count, let v = Int(args[i]) else { throw CLIUsage("\(args[i - 1]) needs a number") }
            return v
        }
        while i < args.count {
            switch args[i] {
            case "--passwords": o.modes = [true]
            case "--no-passwords": o.modes = [false]
            case "--both": o.modes = [false, true]
            case "--staff": o.staff = try value()
            case "--log-n": o.logN = try value()
            case "--threads": o.threads = try value()
            case "--initial-log-n": o.initialLogN = try value()
            default: throw CLIUsage("unknown option \(args[i]); \(about)")
            }
            i += 1
        }
        return o
    }

    struct CLIUsage: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Province → 20 departments + 10 districts → 12 communes per district: 151 units.
    static func units(_ store: AccountStore) throws -> [String] {
        try store.addUnit(code: "UBND-TINH", name: "Ủy ban nhân dân tỉnh", level: .province)
        var codes = ["UBND-TINH"]
        for d in 1...20 {
            try store.addUnit(code: "SO-\(d)", name: "Sở số \(d)", level: .province, parentCode: "UBND-TINH")
            codes.append("SO-\(d)")
        }
        for h in 1...10 {
            try store.addUnit(code: "H-\(h)", name: "UBND huyện \(h)", level: .district, parentCode: "UBND-TINH")
            codes.append("H-\(h)")
            for x in 1...12 {
                try store.addUnit(
                    code: "X-\(h)-\(x)", name: "UBND xã \(x) huyện \(h)", level: .commune, parentCode: "H-\(h)")
                codes.append("X-\(h)-\(x)")
            }
        }
        return codes
    }

    static let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
    static let middle = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Quang", "Hữu"]
    static let given = [
        "An", "Bình", "Châu", "Dũng", "Hằng", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phúc",
        "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Xuân", "Yến",
    ]

    static func roster(staff: Int, units: [String]) -> [UInt8] {
        var text = "\u{FEFF}email;full name;unit code;kind\r\n"
        for i in 0..<staff {
            let name = "\(family[i % family.count]) \(middle[(i / 12) % middle.count]) \(given[(i / 96) % given.count])"
            let unit = units[i % units.count]
            text += "canbo\(i)@tinh.gov.vn;\(name);\(unit);staff\r\n"
        }
        return Array(text.utf8)
    }

    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
    }

    static func run(_ args: [String]) throws {
        let o = try parse(args)
        let hasher = PasswordHasher.configured(logN: o.logN, r: 8, p: 1)
        print("hash parameters: \(hasher.parameterSummary); hashing threads: \(o.threads)")
        let sample = try hasher.hash(Secret("mật khẩu thử nghiệm"))
        var times: [Double] = []
        for _ in 0..<5 {
            let t = Date()
            _ = hasher.check(Secret("mật khẩu thử nghiệm"), against: sample)
            times.append(Date().timeIntervalSince(t))
        }
        times.sort()
        print(
            String(
                format: "one password verification (login cost): median %.0f ms (min %.0f, max %.0f) of 5",
                times[2] * 1000, times[0] * 1000, times[4] * 1000))
        for withPasswords in o.modes {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "govmail-bench-import-\(getpid())-\(withPasswords)"
            ).path
            try? FileManager.default.removeItem(atPath: dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let store = try AccountStore.open(stateDir: dir)
            try store.addDomain(Domain("tinh.gov.vn"))
            let codes = try units(store)
            let bytes = roster(staff: o.staff, units: codes)
            let provisioner = Provisioner(
                store: store, layout: MaildirLayout(stateDir: dir), hasher: hasher,
                policy: PasswordPolicy(minLength: 10), defaultQuota: 2 << 30)
            let importer = RosterImporter(
                provisioner: provisioner, hashingThreads: o.threads,
                initialPasswordHasher: o.initialLogN.map {
                    PasswordHasher(scrypt: ScryptParameters(logN: $0, r: 8, p: 1))
                })
            if withPasswords {
                print("initial passwords hashed with: \(importer.initialPasswordHasher.parameterSummary)")
            }
            let start = Date()
            let marks = Locked<[String: Double]>([:])
            let outcome = try importer.run(
                bytes, options: .init(passwordsOut: withPasswords ? dir + "/passwords.csv" : nil)
            ) {
                phase, done, total in
                if done == total { marks.withLock { $0[phase.rawValue] = Date().timeIntervalSince(start) } }
            }
            let elapsed = Date().timeIntervalSince(start)
            let m = marks.withLock { $0 }
            let hashed = m["hashing passwords"] ?? 0, mailboxes = m["creating mailboxes"] ?? 0
            print(
                String(
                    format:
                        "  phases: plan+hash until %.2f s, Maildirs until %.2f s, directory transaction until %.2f s",
                    hashed, mailboxes, elapsed))
            let second = Date()
            let again = try importer.run(bytes, options: .init(passwordsOut: nil))
            let againElapsed = Date().timeIntervalSince(second)
            print(
                String(
                    format:
                        "import %@: %d staff in %d units: %.2f s (second, idempotent run: %.2f s, %d unchanged); peak RSS so far %.0f MiB",
                    withPasswords ? "with generated passwords" : "without passwords", outcome.plan.creates.count,
                    codes.count, elapsed, againElapsed, again.plan.unchanged, peakRSSMiB()))
        }
    }
}
