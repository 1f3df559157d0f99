import Foundation
import AccountStore
import MailCore

/// One staff roster row as read from the file, before it is checked against the directory.
public struct RosterRow: Sendable, Equatable {
    public let row: Int
    public let email: String
    public let fullName: String
    public let unitCode: String
    public let kind: String
}

/// A problem with one row (or the header, row 1) of a roster.
public struct RosterError: Error, Sendable, Equatable, CustomStringConvertible {
    public let row: Int
    public let message: String
    public var description: String { "row \(row): \(message)" }
}

/// Maps the header row to the four columns. Names are matched without regard to case, spaces,
/// `_` or `-`; English and Vietnamese headings are accepted. `kind` may be left out (staff).
public enum RosterHeader {
    static let synonyms: [String: [String]] = [
        "email": ["email", "e-mail", "mail", "address", "địa chỉ email", "địa chỉ thư", "thư điện tử"],
        "fullName": ["full name", "fullname", "name", "display name", "họ và tên", "họ tên", "tên"],
        "unitCode": ["unit code", "unit", "unitcode", "mã đơn vị", "đơn vị"],
        "kind": ["kind", "type", "loại"],
    ]

    static func normalise(_ s: String) -> String {
        s.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
    }

    /// Column index for each field, or the header problems.
    static func columns(_ header: [String]) throws(RosterError) -> [String: Int] {
        var map: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            let n = normalise(name)
            guard let key = synonyms.first(where: { $0.value.map(normalise).contains(n) })?.key else { continue }
            if map[key] != nil {
                throw RosterError(row: 1, message: "the header names the column \"\(name)\" twice; keep one")
            }
            map[key] = index
        }
        let missing = ["email", "fullName", "unitCode"].filter { map[$0] == nil }
        if !missing.isEmpty {
            let names = missing.map { ["email": "email", "fullName": "full name", "unitCode": "unit code"][$0]! }
            throw RosterError(
                row: 1,
                message:
                    "the header row has no \(names.joined(separator: ", ")) column; the first row must be: email,full name,unit code,kind (found: \(header.joined(separator: ", ")))"
            )
        }
        return map
    }

    /// Parses a roster file into rows (header = row 1), or the first structural problem.
    public static func rows(from bytes: [UInt8]) throws -> [RosterRow] {
        let records: [CSVReader.Record]
        do { records = try CSVReader.read(bytes) } catch let p as CSVReader.Problem {
            switch p {
            case .notUTF8(let r), .unterminatedQuote(let r): throw RosterError(row: r, message: stripRow(p.description))
            case .empty: throw RosterError(row: 1, message: p.description)
            }
        }
        let columns = try columns(records[0].fields)
        let width = records[0].fields.count
        var rows: [RosterRow] = []
        var problems: [RosterError] = []
        for record in records.dropFirst() {
            if record.fields.count != width {
                problems.append(
                    RosterError(
                        row: record.row,
                        message:
                            "has \(record.fields.count) columns but the header has \(width); check for a stray separator or a missing value"
                    ))
                continue
            }
            func field(_ key: String) -> String { columns[key].map { record.fields[$0] } ?? "" }
            rows.append(
                RosterRow(
                    row: record.row, email: field("email"), fullName: field("fullName"),
                    unitCode: field("unitCode"), kind: field("kind")))
        }
        if !problems.isEmpty { throw RosterErrors(errors: problems) }
        return rows
    }

    static func stripRow(_ s: String) -> String {
        guard let colon = s.firstIndex(of: ":"), s.hasPrefix("row ") else { return s }
        return String(s[s.index(colon, offsetBy: 2)...])
    }
}

/// Every problem found in a roster; nothing is applied while there is one.
public struct RosterErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let errors: [RosterError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
