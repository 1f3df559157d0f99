// GovMailFuzz: libFuzzer driver for the pure parsers (see ../shared/TOOLCHAIN.md, "Fuzzing").
//
//   built with -sanitize=fuzzer -DFUZZING:  GovMailFuzz TARGET [libFuzzer options] [corpus dirs]
//   built normally:                         GovMailFuzz TARGET FILE...   (replays inputs, e.g. crash seeds)
#if canImport(Glibc)
    import Glibc
#endif

/// Writes to standard error (the `stderr` global is not usable in Swift 6 mode).
func printError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

func usage() -> Never {
    let names = fuzzTargets.keys.sorted().joined(separator: ", ")
    printError("usage: GovMailFuzz TARGET [inputs or libFuzzer options]\ntargets: \(names)\n")
    exit(64)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = fuzzTargets[arguments[1]] else { usage() }

#if FUZZING
    /// libFuzzer's driver entry (compiler-rt FuzzerInterface.h); SwiftPM's executable linking breaks
    /// the usual LLVMFuzzerTestOneInput symbol, so the driver is called with a C function pointer.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    nonisolated(unsafe) var selectedTarget: ([UInt8]) -> Void = target
    // libFuzzer sees argv without the target name.
    var cArguments: [UnsafeMutablePointer<CChar>?] =
        ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
    var argc = Int32(cArguments.count - 1)
    let status = cArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            selectedTarget(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
    }
    exit(status)
#else
    var replayed = 0
    for path in arguments.dropFirst(2) {
        guard let file = fopen(path, "rb") else { printError("cannot open \(path)\n"); exit(66) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        fclose(file)
        target(bytes)
        replayed += 1
    }
    print("replayed \(replayed) input(s) through \(arguments[1]) without a crash")
#endif
