#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes for people: results to stdout, problems to stderr.
enum Terminal {
    /// A line on stdout, written at once: through a pipe, stdio would hold it back until its
    /// buffer fills, and a long-running command (`demo`) would show nothing.
    static func print(_ text: String) {
        writeAll(text + "\n", to: 1)
    }

    static func error(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeAll(line, to: 2)
    }

    /// `text` on stderr as it is, without a line break (a progress line rewritten in place).
    static func error(raw text: String) {
        writeAll(text, to: 2)
    }

    /// write(2) rather than stdio's `stdout` and `stderr`, globals Swift 6 cannot prove safe.
    private static func writeAll(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
