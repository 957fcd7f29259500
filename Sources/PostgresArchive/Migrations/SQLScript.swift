/// Cuts a file of SQL into its statements, at the semicolons that end them.
///
/// A migration file is read as psql would read it: a `;` inside a quoted string (`'…'`, `E'…'`
/// with its backslash escapes), a quoted name (`"…"`), a dollar-quoted body (`$$…$$`,
/// `$tag$…$tag$`) or a comment (`-- …`, nested `/* … */`) ends nothing. Comments are left out of
/// the statements; a statement that is only whitespace is dropped.
enum SQLScript {
    static func statements(in sql: String) -> [String] {
        var cutter = Cutter(bytes: Array(sql.utf8))
        return cutter.run()
    }

    private struct Cutter {
        let bytes: [UInt8]
        var index = 0
        var current: [UInt8] = []
        var statements: [String] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func run() -> [String] {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                    skipLineComment()
                case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                    skipBlockComment()
                case UInt8(ascii: "'"):
                    copyQuoted(backslashEscapes: isEscapeStringPrefix())
                case UInt8(ascii: "\""):
                    copyQuotedName()
                case UInt8(ascii: "$"):
                    if let tag = dollarTag() { copyDollarQuoted(tag) } else { copy() }
                case UInt8(ascii: ";"):
                    index += 1
                    finishStatement()
                default:
                    copy()
                }
            }
            finishStatement()
            return statements
        }

        private func peek(_ offset: Int) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        private mutating func copy(_ count: Int = 1) {
            let end = min(index + count, bytes.count)
            current.append(contentsOf: bytes[index..<end])
            index = end
        }

        private mutating func finishStatement() {
            let text = String(decoding: current, as: UTF8.self)
            let trimmed = text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
            if !trimmed.isEmpty { statements.append(String(trimmed)) }
            current = []
        }

        private mutating func skipLineComment() {
            while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
            current.append(UInt8(ascii: " "))
        }

        /// PostgreSQL's block comments nest.
        private mutating func skipBlockComment() {
            var depth = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                    depth += 1
                    index += 2
                } else if bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                    depth -= 1
                    index += 2
                    if depth == 0 { break }
                } else {
                    index += 1
                }
            }
            current.append(UInt8(ascii: " "))
        }

        /// An `E` (or `e`) right before the quote that is not the end of a longer word: `E'\''`.
        private func isEscapeStringPrefix() -> Bool {
            guard let last = current.last, last == UInt8(ascii: "E") || last == UInt8(ascii: "e") else { return false }
            guard current.count >= 2 else { return true }
            return !Self.isWordByte(current[current.count - 2])
        }

        /// A quoted string; `''` inside it is a quote, and with `backslashEscapes` so is `\'`.
        private mutating func copyQuoted(backslashEscapes: Bool) {
            copy()
            while index < bytes.count {
                if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                    copy(2)
                } else if bytes[index] == UInt8(ascii: "'") {
                    copy()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "'") else { return }
                    copy()
                } else {
                    copy()
                }
            }
        }

        /// A quoted name; `""` inside it is a quote, which the loop reads as an end and a start.
        private mutating func copyQuotedName() {
            copy()
            while index < bytes.count && bytes[index] != UInt8(ascii: "\"") { copy() }
            copy()
        }

        /// The tag of a dollar quote starting here (`$$` → empty, `$body$` → "body"), nil for a
        /// `$` that starts none (a parameter `$1`, or a `$` inside a name).
        private func dollarTag() -> [UInt8]? {
            if let previous = current.last, Self.isWordByte(previous) { return nil }
            var end = index + 1
            while end < bytes.count && bytes[end] != UInt8(ascii: "$") {
                let byte = bytes[end]
                let isStart = end == index + 1
                guard Self.isWordByte(byte) && !(isStart && Self.isDigit(byte)) else { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            return Array(bytes[(index + 1)..<end])
        }

        private mutating func copyDollarQuoted(_ tag: [UInt8]) {
            let delimiter = [UInt8(ascii: "$")] + tag + [UInt8(ascii: "$")]
            copy(delimiter.count)
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "$") && bytes[index...].starts(with: delimiter) {
                    copy(delimiter.count)
                    return
                }
                copy()
            }
        }

        private static func isWordByte(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || isDigit(byte) || (byte >= 0x80)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }

        private static func isDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
