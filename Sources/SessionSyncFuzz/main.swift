import SessionSyncFuzzDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Why a `main` at all: SwiftPM links an executable target's entry point as `main` (on Linux with
// `--defsym main=SessionSyncFuzz_main`), so a harness built with `-parse-as-library` that leaves
// `main` to libFuzzer does not link. This one hands its arguments to libFuzzer's driver instead.

/// A line on standard error (the C global `stderr` is shared mutable state to Swift 6).
func complain(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

// `sessionsync-fuzz --write-seeds DIR` writes the seed corpus; anything else goes to libFuzzer.
let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "--write-seeds" {
    do {
        let counts = try await SeedCorpus.write(into: arguments[2])
        for target in FuzzTarget.allCases {
            print("seeds \(target.rawValue): \(counts[target] ?? 0)")
        }
        exit(0)
    } catch {
        complain("sessionsync-fuzz: writing seeds failed: \(error)")
        exit(1)
    }
}

guard FuzzTarget.selected != nil else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    complain("sessionsync-fuzz: set \(FuzzTarget.environmentVariable) to one of \(names)")
    exit(2)
}
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
// A closure, not `fuzzOneInput` itself: naming a `@_cdecl` function as a C pointer here would emit
// its C symbol a second time, in this file's object.
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
