import Foundation

/// Turns reports into bytes in any `ReportFormat` and `ReportLanguage`; what `govmail report` writes.
public enum ReportRenderer {
    /// The published monthly report. CSV starts with a UTF-8 byte-order mark; JSON ignores `language`.
    public static func render(
        _ report: MonthlyReport, format: ReportFormat, language: ReportLanguage, csv: CSVStyle = .standard
    ) throws -> Data {
        let labels = ReportLabels(language: language)
        switch format {
        case .text: return Data(TextRenderer.monthly(report, labels).utf8)
        case .csv: return CSVRenderer.monthly(report, labels, csv)
        case .json: return try JSONRenderer.encode(report)
        case .html: return Data(HTMLRenderer.monthly(report, labels).utf8)
        }
    }

    /// The per-person inactive list for unit administrators (never part of the published report).
    public static func render(
        _ report: InactiveAccountsReport, format: ReportFormat,
        language: ReportLanguage, csv: CSVStyle = .standard
    ) throws -> Data {
        let labels = ReportLabels(language: language)
        switch format {
        case .text: return Data(TextRenderer.inactive(report, labels).utf8)
        case .csv: return CSVRenderer.inactive(report, labels, csv)
        case .json: return try JSONRenderer.encode(report)
        case .html: return Data(HTMLRenderer.inactive(report, labels).utf8)
        }
    }
}
