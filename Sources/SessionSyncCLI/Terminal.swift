#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes for people: results to stdout, problems to stderr.
enum Terminal {
    static func print(_ text: String) {
        Swift.print(text)
    }

    static func error(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        var bytes = Array(line.utf8)
        // write(2) rather than stdio's `stderr`, a global Swift 6 cannot prove safe.
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
