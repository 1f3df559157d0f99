/// Languages a report can be written in.
public enum ReportLanguage: String, Sendable, CaseIterable, Codable {
    case vi, en
}

/// Output formats of the reports.
public enum ReportFormat: String, Sendable, CaseIterable, Codable {
    case text, csv, json, html
}

/// Every human-readable string of the reports, in one language. Vietnamese uses full diacritics.
struct ReportLabels {
    let language: ReportLanguage

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    var title: String { t("Báo cáo sử dụng thư điện tử công vụ", "Official mail usage report") }
    func monthTitle(_ m: ReportMonth) -> String { t("Tháng \(m.month)/\(m.year)", monthName(m)) }
    func monthShort(_ m: ReportMonth) -> String {
        t("\(m.month)/\(m.year)", "\(m.year)-\(m.month < 10 ? "0" : "")\(m.month)")
    }
    private func monthName(_ m: ReportMonth) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ]
        return "\(names[m.month - 1]) \(m.year)"
    }
    var scope: String { t("Phạm vi", "Scope") }
    var wholeOrganisation: String { t("Toàn tỉnh", "Whole province") }
    var organisation: String { t("Toàn bộ", "All staff") }
    var shareLong: String { t("Tỷ lệ sử dụng thường xuyên", "Share of staff using mail regularly") }
    var comparedWithPrevious: String { t("so với tháng trước", "compared with the previous month") }
    var percentagePoints: String { t("điểm %", "pp") }

    var definitions: String { t("Định nghĩa", "Definitions") }
    var period: String { t("Kỳ báo cáo", "Period") }
    var generatedAt: String { t("Thời điểm lập báo cáo", "Generated") }
    /// `YYYY-MM-DD` as people read it: 04/12/2026 in Vietnamese, unchanged in English.
    func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard language == .vi, parts.count == 3 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
    func periodRange(_ p: ReportPeriod) -> String {
        t("từ \(day(p.firstDay)) đến \(day(p.lastDay))", "\(p.firstDay) to \(p.lastDay)")
    }
    /// Printed inside every format when the month is not over, so a low share is read as incomplete.
    func partialNotice(_ p: ReportPeriod) -> String {
        let through = p.dataThrough.map(day) ?? "?"
        return t(
            "THÁNG CHƯA KẾT THÚC: số liệu mới tính đến ngày \(through), chưa đầy đủ; không so sánh với các tháng đã kết thúc.",
            "PARTIAL MONTH: data only up to \(through); the figures are incomplete and not comparable with complete months."
        )
    }
    var partialMark: String { t("chưa đầy đủ", "partial") }
    var definitionStaff: String {
        t(
            "Tài khoản cán bộ: tài khoản loại cán bộ (không tính hộp thư dùng chung và tài khoản dịch vụ) được kích hoạt ít nhất một ngày trong tháng, theo lịch sử tài khoản.",
            "Staff account: an account of kind staff (shared and service mailboxes excluded) that was enabled on at least one day of the month, according to the account history."
        )
    }
    func definitionActive(_ days: Int) -> String {
        t(
            "Sử dụng thường xuyên: có dùng thư (đăng nhập IMAP, xác thực SMTP hoặc gửi thư) trong ít nhất \(days) ngày khác nhau của tháng. Báo cáo cũng nêu số cán bộ có sử dụng ít nhất một lần và không sử dụng.",
            "Active: used mail (an IMAP login, an SMTP AUTH or a submitted message) on at least \(days) distinct days of the month. The report also counts staff who used mail at least once and those who did not use it at all."
        )
    }
    func definitionShare(_ target: String) -> String {
        t(
            "Tỷ lệ sử dụng thường xuyên = số cán bộ sử dụng thường xuyên / số tài khoản cán bộ. Mục tiêu: \(target); đơn vị dưới mục tiêu được đánh dấu.",
            "Share = active staff / staff accounts. Target: \(target); units below the target are highlighted.")
    }
    var definitionAttribution: String {
        t(
            "Tài khoản chuyển đơn vị trong tháng được tính cho đơn vị mà nó thuộc về vào thời điểm cuối cùng trong tháng nó còn được kích hoạt.",
            "An account moved during the month counts in the unit it belonged to at the last moment in the month when it was enabled."
        )
    }
    func definitionPrivacy(_ minimum: Int) -> String {
        t(
            "Đơn vị có ít hơn \(minimum) cán bộ (kể cả đơn vị trực thuộc) không được nêu riêng ở bất kỳ bảng, biểu đồ hay cột thay đổi nào: số liệu được gộp vào đơn vị cấp trên (khi cần, gộp thêm đơn vị khác để không thể suy ra bằng phép trừ); báo cáo chỉ nêu số liệu tổng hợp.",
            "Units with fewer than \(minimum) staff (including sub-units) are never shown on their own in any table, chart or change column: they are merged into their parent (with further units when needed, so they cannot be derived by subtraction); the report shows aggregates only."
        )
    }
    var definitionOwnShare: String {
        t(
            "Tỷ lệ riêng của đơn vị: cán bộ của chính đơn vị (kể cả đơn vị nhỏ gộp vào), không gồm đơn vị trực thuộc được nêu riêng. Biểu đồ và danh sách dưới mục tiêu dùng tỷ lệ này.",
            "Own share: the unit's own staff (with small units merged into it), without sub-units shown separately. The chart and the below-target list use this share."
        )
    }
    func definitionTimeZone(_ zone: String) -> String {
        t("Ngày tính theo múi giờ \(zone).", "Days are counted in the time zone \(zone).")
    }
    var definitionMessages: String {
        t(
            "Thư gửi / người dùng thường xuyên = số thư cán bộ của đơn vị đã gửi / số cán bộ sử dụng thường xuyên. Tỷ lệ ký số = số thư có chữ ký số S/MIME / số thư đã gửi. Tỷ lệ ký số hợp lệ = số thư có chữ ký số được máy chủ xác thực (chứng thư hợp lệ, đúng địa chỉ người gửi) / số thư đã gửi.",
            "Sent per active = messages sent by the unit's staff / active staff. Signed share = S/MIME-signed messages / messages sent. Verified share = signed messages whose signature the server verified (valid certificate of the sender's address) / messages sent."
        )
    }

    var byUnit: String { t("Theo đơn vị", "By unit") }
    var byLevel: String { t("Theo cấp (cấp tỉnh/huyện/xã)", "By level (province/district/commune)") }
    var trend: String { t("Xu hướng 12 tháng", "12-month trend") }
    var clients: String { t("Phần mềm thư được sử dụng", "Mail client software") }
    var belowTarget: String { t("Đơn vị dưới mục tiêu", "Units below target") }
    var noneBelowTarget: String { t("Không có đơn vị nào dưới mục tiêu.", "No unit is below the target.") }
    func unpublished(_ count: Int, _ minimum: Int) -> String {
        t(
            "\(count) đơn vị có ít hơn \(minimum) cán bộ không được nêu riêng (đã gộp vào đơn vị cấp trên hoặc chỉ tính vào tổng).",
            "\(count) units with fewer than \(minimum) staff are not shown separately (merged into their parent, or counted in the totals only)."
        )
    }
    var shareByUnitChart: String {
        t(
            "Tỷ lệ sử dụng thường xuyên theo đơn vị (tỷ lệ riêng của đơn vị)",
            "Active share by unit (own share of each unit)")
    }
    var ownShareNote: String { t("tỷ lệ riêng của đơn vị", "own share of each unit") }
    var ownShare: String { t("Tỷ lệ riêng ĐV", "Own share") }
    var neededForTarget: String { t("Cần thêm để đạt mục tiêu", "More active needed") }
    func needed(_ n: Int) -> String {
        t("cần thêm \(n) người dùng thường xuyên", "needs \(n) more active users")
    }
    var rankingByShare: String {
        t("Xếp hạng theo tỷ lệ sử dụng thường xuyên (tỷ lệ riêng của đơn vị)", "Ranking by active share (own share)")
    }
    var rankingByChange: String {
        t("Xếp hạng theo mức thay đổi so với tháng trước (tỷ lệ riêng của đơn vị)", "Ranking by change (own share)")
    }
    var rank: String { t("Hạng", "Rank") }
    var unitTrends: String {
        t(
            "Xu hướng 12 tháng theo đơn vị (tỷ lệ gồm đơn vị trực thuộc)",
            "12-month trend by unit (share incl. sub-units)")
    }
    func periodName(_ p: String) -> String {
        if p.count == 4 { return t("Năm \(p)", "Year \(p)") }
        let q = p.suffix(1), y = p.prefix(4)
        return t("Quý \(q)/\(y)", "Q\(q) \(y)")
    }
    var staffMonths: String { t("Người-tháng (cán bộ)", "Staff-months") }
    var activeMonths: String { t("Người-tháng sử dụng thường xuyên", "Active staff-months") }
    var periodShare: String { t("Tỷ lệ cả kỳ", "Period share") }
    var periodPartial: String {
        t(
            "KỲ CHƯA KẾT THÚC: tháng cuối chưa hết, số liệu chưa đầy đủ.",
            "PARTIAL PERIOD: its last month is not over; the figures are incomplete.")
    }
    var definitionPeriodShare: String {
        t(
            "Tỷ lệ cả kỳ = tổng người-tháng sử dụng thường xuyên / tổng người-tháng tài khoản cán bộ (trung bình các tháng theo số cán bộ).",
            "Period share = active staff-months / staff-months (the monthly shares averaged by staff).")
    }
    func definitionPeriodPrivacy(_ minimum: Int) -> String {
        t(
            "Chỉ nêu đơn vị được công bố riêng trong mọi tháng của kỳ (từ \(minimum) cán bộ trở lên, gồm đơn vị trực thuộc).",
            "Only units published on their own in every month of the period (\(minimum) staff or more, sub-units included) are listed."
        )
    }
    func unlistedInPeriod(_ n: Int) -> String {
        t(
            "\(n) đơn vị không được nêu vì có tháng dưới ngưỡng riêng tư hoặc chưa tồn tại.",
            "\(n) units are not listed: below the privacy floor or not existing in some month.")
    }
    var suppressed: String { t("ẩn (dưới ngưỡng riêng tư)", "hidden (privacy floor)") }
    var targetLine: String { t("Mục tiêu", "Target") }

    var unit: String { t("Đơn vị", "Unit") }
    var code: String { t("Mã", "Code") }
    var level: String { t("Cấp", "Level") }
    var staff: String { t("Cán bộ", "Staff") }
    var active: String { t("Thường xuyên", "Active") }
    var usedOnce: String { t("Có sử dụng", "Used at least once") }
    var notUsed: String { t("Không sử dụng", "Not used") }
    var share: String { t("Tỷ lệ", "Share") }
    var change: String { t("Thay đổi", "Change") }
    var changeWithUnit: String { change + " (" + percentagePoints + ")" }
    var parentUnit: String { t("Đơn vị cấp trên", "Parent unit") }
    var sentPerActive: String { t("Thư gửi / người dùng thường xuyên", "Sent per active user") }
    var signedShare: String { t("Tỷ lệ ký số", "Signed share") }
    var signedVerifiedShare: String { t("Tỷ lệ ký số hợp lệ", "Verified share") }
    var rolledUpShare: String { t("Tỷ lệ gồm ĐV trực thuộc", "Share incl. sub-units") }
    var rolledUpStaff: String { t("Cán bộ gồm ĐV trực thuộc", "Staff incl. sub-units") }
    var rolledUpActive: String { t("Thường xuyên gồm ĐV trực thuộc", "Active incl. sub-units") }
    var messagesSent: String { t("Thư đã gửi", "Messages sent") }
    var messagesSigned: String { t("Thư ký số", "Messages signed") }
    var messagesSignedVerified: String { t("Thư ký số hợp lệ", "Messages signed and verified") }
    var messagesReceived: String { t("Thư đã nhận", "Messages received") }
    var month: String { t("Tháng", "Month") }
    var client: String { t("Phần mềm", "Client") }
    var accounts: String { t("Tài khoản", "Accounts") }
    var sessions: String { t("Lượt", "Sessions") }
    var otherClients: String { t("Khác", "Other") }
    var belowTargetMark: String { t("dưới mục tiêu", "below target") }
    var section: String { t("Phần", "Section") }
    var item: String { t("Mục", "Item") }
    var value: String { t("Giá trị", "Value") }
    var summary: String { t("Tổng hợp", "Summary") }
    var previousMonth: String { t("Tháng trước", "Previous month") }

    func level(_ level: UnitLevel) -> String {
        switch level {
        case .province: return t("Cấp tỉnh", "Province")
        case .district: return t("Cấp huyện", "District")
        case .commune: return t("Cấp xã", "Commune")
        case .other: return t("Khác", "Other")
        }
    }

    var inactiveTitle: String {
        t("Danh sách tài khoản cán bộ chưa sử dụng thường xuyên", "Staff accounts not using mail regularly")
    }
    var inactiveNotice: String {
        t(
            "Danh sách nội bộ dành cho quản trị đơn vị; không công bố.",
            "Internal list for unit administrators; do not publish.")
    }
    var address: String { t("Địa chỉ thư", "Address") }
    var displayName: String { t("Họ tên", "Name") }
    var daysUsed: String { t("Số ngày sử dụng", "Days used") }
    var currentStatus: String { t("Trạng thái hiện nay", "Status now") }
    func status(_ s: InactiveAccount.CurrentStatus) -> String {
        switch s {
        case .enabled: return t("đang hoạt động", "enabled")
        case .disabled: return t("đã tạm khóa", "disabled")
        case .deleted: return t("đã xóa", "deleted")
        }
    }
    func followUp(_ n: Int) -> String {
        t(
            "\(n) người cần nhắc nhở (tài khoản đang hoạt động); tài khoản đã tạm khóa hoặc đã xóa không cần liên hệ.",
            "\(n) to follow up (enabled accounts); disabled and deleted accounts need no reminder.")
    }
    func inactiveSummary(_ inactive: Int, _ staff: Int) -> String {
        t(
            "\(inactive) trên \(staff) tài khoản cán bộ chưa sử dụng thường xuyên.",
            "\(inactive) of \(staff) staff accounts were not active.")
    }

    // MARK: numbers (vi: 1.234,5 — en: 1,234.5)

    private var decimalMark: String { t(",", ".") }
    private var groupMark: String { t(".", ",") }

    func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += groupMark }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// One decimal, e.g. 62,5 / 62.5; "—" for no value.
    func decimal(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        let tenths = Int((abs(x) * 10).rounded())
        let sign = x < 0 && tenths != 0 ? "-" : ""
        return sign + count(tenths / 10) + decimalMark + String(tenths % 10)
    }

    func count(_ n: Int?) -> String { n.map { count($0) } ?? "—" }

    func percent(_ share: Double?) -> String { share == nil ? "—" : decimal(share! * 100) + "%" }

    /// A share change in percentage points with its sign: +5,0 / -2,5 / 0,0.
    func change(_ delta: Double?) -> String {
        guard let delta else { return "—" }
        let text = decimal(delta * 100)
        return text.hasPrefix("-") || text == decimal(0) ? text : "+" + text
    }
}
