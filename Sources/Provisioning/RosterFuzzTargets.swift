/// Fuzz entry point (GovMailFuzz `roster-csv`); `swift test` replays the committed seeds.
public enum RosterFuzzTargets {
    /// Reads arbitrary bytes as a staff roster: it parses or names the rows at fault, never
    /// crashes, and every record, row and error points at a line inside the file.
    public static func roster(_ bytes: [UInt8]) {
        // Line ends may be CRLF, LF or (in old exports) CR alone; each ends one line.
        var lines = 1
        for (i, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            lines += 1
        }
        func inside(_ row: Int, from first: Int = 1) -> Bool { (first...max(first, lines)).contains(row) }
        if let records = try? CSVReader.read(bytes) {
            precondition(!records.isEmpty, "a file that reads has at least its header record")
            for r in records { precondition(inside(r.row), "record row \(r.row) outside the file") }
        }
        do {
            for r in try RosterHeader.rows(from: bytes) { precondition(inside(r.row, from: 2), "row \(r.row) outside") }
        } catch let e as RosterError {
            precondition(inside(e.row) && !e.message.isEmpty, "an error without a row or a message")
        } catch let e as RosterErrors {
            precondition(!e.errors.isEmpty, "an empty list of problems")
            for p in e.errors { precondition(inside(p.row) && !p.message.isEmpty, "a problem without a row or text") }
        } catch {
            preconditionFailure("an error that is neither RosterError nor RosterErrors: \(error)")
        }
    }
}
