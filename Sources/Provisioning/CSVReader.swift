import MailCore

/// Reads CSV as Excel and LibreOffice export it (RFC 4180 quoting): UTF-8 with or without a BOM,
/// comma or semicolon separated (guessed from the header line), CRLF or LF line ends.
public enum CSVReader {
    public struct Record: Sendable, Equatable {
        /// 1-based line number where the record starts, as a spreadsheet numbers rows (header = 1).
        public let row: Int
        public let fields: [String]
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notUTF8(row: Int)
        case unterminatedQuote(row: Int)
        case empty
        public var description: String {
            switch self {
            case .notUTF8(let r):
                return
                    "row \(r): the file is not UTF-8; in Excel choose \"CSV UTF-8\", in LibreOffice choose character set Unicode (UTF-8)"
            case .unterminatedQuote(let r):
                return "row \(r): a quoted field is never closed; check the quotes on that row"
            case .empty:
                return
                    "the file is empty; it needs a header row (email, full name, unit code, kind) and one row per account"
            }
        }
    }

    /// Splits `bytes` into records; blank lines are skipped. The separator is `;` when the first line
    /// has more semicolons than commas outside quotes, else `,`.
    public static func read(_ bytes: [UInt8]) throws -> [Record] {
        var data = bytes[...]
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        guard !data.isEmpty else { throw Problem.empty }
        let separator = guessSeparator(data)
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, recordStart = 1
        var i = data.startIndex

        func finishField() throws {
            guard let s = String(validating: field, as: UTF8.self) else { throw Problem.notUTF8(row: recordStart) }
            fields.append(fieldWasQuoted ? s : s.trimmingASCIIWhitespace())
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() throws {
            try finishField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(row: recordStart, fields: fields)) }
            fields.removeAll()
        }

        while i < data.endIndex {
            let b = data[i]
            if inQuotes {
                if b == 0x22 {
                    let next = data.index(after: i)
                    if next < data.endIndex && data[next] == 0x22 {
                        field.append(0x22); i = data.index(after: next); continue
                    }
                    inQuotes = false
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
            } else if b == 0x22 && field.allSatisfy({ $0 == 0x20 }) {
                field.removeAll()
                inQuotes = true
                fieldWasQuoted = true
            } else if b == separator {
                try finishField()
            } else if b == 0x0D || b == 0x0A {
                if b == 0x0D, data.index(after: i) < data.endIndex, data[data.index(after: i)] == 0x0A {
                    i = data.index(after: i)
                }
                try finishRecord()
                line += 1
                recordStart = line
            } else {
                field.append(b)
            }
            i = data.index(after: i)
        }
        if inQuotes { throw Problem.unterminatedQuote(row: recordStart) }
        if !field.isEmpty || !fields.isEmpty { try finishRecord() }
        guard !records.isEmpty else { throw Problem.empty }
        return records
    }

    static func guessSeparator(_ data: ArraySlice<UInt8>) -> UInt8 {
        var commas = 0, semicolons = 0, inQuotes = false
        for b in data {
            if b == 0x22 { inQuotes.toggle() }
            if inQuotes { continue }
            if b == 0x0A || b == 0x0D { break }
            if b == 0x2C { commas += 1 }
            if b == 0x3B { semicolons += 1 }
        }
        return semicolons > commas ? 0x3B : 0x2C
    }
}
