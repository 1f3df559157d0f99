// govmail-bench: benchmarks that print figures, never pass/fail. Each benchmark lives in its own
// file and is listed once in `Benchmarks.all`.
import Foundation

enum Benchmarks {
    /// name → (one-line description, entry point taking the remaining arguments)
    static let all: [(name: String, about: String, run: @Sendable ([String]) throws -> Void)] = [
        ("import", ImportBench.about, ImportBench.run),
    ]
}

let args = Array(CommandLine.arguments.dropFirst())
if let name = args.first, let bench = Benchmarks.all.first(where: { $0.name == name }) {
    do { try bench.run(Array(args.dropFirst())) } catch {
        FileHandle.standardError.write(Data("govmail-bench \(name): \(error)\n".utf8))
        exit(1)
    }
} else {
    print("usage: govmail-bench <benchmark> [options]")
    for b in Benchmarks.all { print("  \(b.name): \(b.about)") }
    exit(args.isEmpty ? 0 : 64)
}
