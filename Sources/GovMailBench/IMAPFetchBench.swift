// IMAP fetch benchmark: building FetchedMessage values with the MessageFormat bridge for a folder
// listing (10,000 small messages, `UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS
// (From To Subject Date)])`) cold (normalise + parse) and from cached metadata, and BODY[] of 1 MiB
// messages with CRLF and bare-LF line ends.
import Foundation
import IMAPProtocol
import MailCore
import MessageFormat

enum IMAPFetchBench {
    static func run(_ args: [String]) throws {
        let iterations = Int(args.first ?? "") ?? 20
        let small = (0..<10_000).map(MessageFormatBench.smallMessage)
        let smallLF = small.map(bareLF)
        let listing: [FetchAttribute] = [
            .uid, .flags, .rfc822Size,
            .body(IMAPSection(text: .headerFields(["From", "To", "Subject", "Date"])), peek: true, partial: nil),
        ]
        print("IMAP fetch benchmark (10,000 small messages; \(iterations) iterations of each 1 MiB fetch)")

        var checksum = 0
        var metadata: [IMAPMessageMetadata] = []
        metadata.reserveCapacity(small.count)
        let rssBefore = residentKiB()
        let tCold = MessageFormatBench.measure {
            for (i, m) in small.enumerated() {
                let r = FetchResponder.respond(
                    uid: UID(UInt32(i + 1)), internalDate: nil, attributes: listing, cached: nil,
                    readStoredBytes: { m })
                checksum &+= r.message.sections.first?.value.count ?? 0
                metadata.append(r.metadata)
            }
        }
        report("header listing, cold (parse each message)", tCold, count: small.count)
        if let before = rssBefore, let after = residentKiB() {
            print("  resident memory grown while caching 10,000 metadata values: \(after - before) KiB (approximate)")
        }

        let tColdLF = MessageFormatBench.measure {
            for (i, m) in smallLF.enumerated() {
                let r = FetchResponder.respond(
                    uid: UID(UInt32(i + 1)), internalDate: nil, attributes: listing, cached: nil,
                    readStoredBytes: { m })
                checksum &+= r.message.size ?? 0
            }
        }
        report("header listing, cold, bare-LF files (normalise + parse)", tColdLF, count: small.count)

        var reads = 0
        let tWarm = MessageFormatBench.measure {
            for (i, md) in metadata.enumerated() {
                let r = FetchResponder.respond(
                    uid: UID(UInt32(i + 1)), internalDate: nil, attributes: listing, cached: md,
                    readStoredBytes: {
                        reads += 1; return small[i]
                    })
                checksum &+= r.message.sections.first?.value.count ?? 0
            }
        }
        report("header listing from cached metadata (\(reads) file reads)", tWarm, count: small.count)

        let tEnv = MessageFormatBench.measure {
            for (i, md) in metadata.enumerated() {
                let r = FetchResponder.respond(
                    uid: UID(UInt32(i + 1)), internalDate: nil, attributes: [.uid, .envelope, .bodyStructure],
                    cached: md, readStoredBytes: { small[i] })
                checksum &+= r.message.envelope?.to.count ?? 0
            }
        }
        report("ENVELOPE + BODYSTRUCTURE from cached metadata", tEnv, count: small.count)

        let encoded = try metadata.map { try JSONEncoder().encode($0).count }.reduce(0, +)
        print(
            "  cached metadata as JSON: \(encoded / metadata.count) bytes per message (\(encoded / 1024) KiB for 10,000)"
        )

        let big = MessageFormatBench.bigMessage()
        let bigLF = bareLF(big)
        let whole: [FetchAttribute] = [.rfc822Size, .body(IMAPSection(), peek: false, partial: nil)]
        let bigMeta = IMAPMessageMetadata(storedBytes: big)
        let bigLFMeta = IMAPMessageMetadata(storedBytes: bigLF)
        for (name, bytes, cached) in [
            ("BODY[] 1 MiB CRLF file, cold", big, nil), ("BODY[] 1 MiB CRLF file, cached metadata", big, bigMeta),
            ("BODY[] 1 MiB bare-LF file, cold", bigLF, nil),
            ("BODY[] 1 MiB bare-LF file, cached metadata", bigLF, bigLFMeta),
        ] as [(String, [UInt8], IMAPMessageMetadata?)] {
            let t = MessageFormatBench.measure {
                for _ in 0..<iterations {
                    let r = FetchResponder.respond(
                        uid: UID(1), internalDate: nil, attributes: whole, cached: cached, readStoredBytes: { bytes })
                    checksum &+= r.message.sections[IMAPSection()]?.count ?? 0
                }
            }
            print(
                "  \(name) (\(bytes.count) bytes stored): \(MessageFormatBench.format(t / Double(iterations) * 1000)) ms per fetch"
            )
        }
        print("(checksum \(checksum))")
    }

    static func report(_ what: String, _ seconds: Double, count: Int) {
        print(
            "  \(what): \(MessageFormatBench.format(seconds * 1000)) ms total, "
                + "\(MessageFormatBench.format(seconds / Double(count) * 1e6)) µs per message")
    }

    /// VmRSS from /proc/self/status (Linux); nil elsewhere.
    static func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    static func bareLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() where !(b == 13 && i + 1 < bytes.count && bytes[i + 1] == 10) { out.append(b) }
        return out
    }
}
