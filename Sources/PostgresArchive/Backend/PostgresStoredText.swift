import SessionSyncSupport

/// What the PostgreSQL archive stores for texts PostgreSQL cannot hold.
///
/// A `text` value cannot contain the character U+0000, and `jsonb` refuses the escapes `\u0000`
/// and a lone UTF-16 surrogate (`\ud800` without its pair), which JSON allows and the providers'
/// payloads may carry: the server would refuse the statement, and with it the whole commit (the
/// page, its cursor). So each of them is stored as U+FFFD, the replacement character, as the
/// JSON reader already does for a lone surrogate it decodes: `\u0000` in a payload becomes
/// `\ufffd`, a U+0000 in a text becomes U+FFFD. Nothing else changes, and the replacement is the
/// same on every pass, so an unchanged payload still compares equal to what is stored. The SQLite
/// archive stores these values as they came.
enum PostgresStoredText {
    /// `text` with every U+0000 replaced by U+FFFD.
    static func text(_ text: String) -> String {
        guard text.utf8.contains(0) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\u{0}" ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    /// The JSON text `json` with `\u0000` and lone surrogate escapes written `\ufffd` (and a raw
    /// U+0000, which valid JSON never holds, replaced too). Escaped backslashes are skipped over,
    /// so the six characters `\\u0000` (a backslash, then `u0000`) stay as they are.
    static func json(_ json: String) -> String {
        let bytes = Array(json.utf8)
        var output: [UInt8] = []
        var copiedUpTo = 0
        var index = 0
        func replace(_ count: Int, with replacement: [UInt8]) {
            output += bytes[copiedUpTo..<index]
            output += replacement
            index += count
            copiedUpTo = index
        }
        while index < bytes.count {
            switch bytes[index] {
            case 0:
                replace(1, with: Array("\u{FFFD}".utf8))
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                    let unit = JSONUnicodeEscape.codeUnit(bytes, at: index + 2)
                else {
                    index += 2  // a two-character escape (\\, \", \n …), or the text's end
                    continue
                }
                if unit == 0 || (0xDC00..<0xE000).contains(unit) {
                    replace(6, with: replacementEscape)
                } else if (0xD800..<0xDC00).contains(unit) {
                    let pairedWithLow =
                        index + 11 < bytes.count && bytes[index + 6] == UInt8(ascii: "\\")
                        && bytes[index + 7] == UInt8(ascii: "u")
                        && JSONUnicodeEscape.codeUnit(bytes, at: index + 8).map { (0xDC00..<0xE000).contains($0) }
                            == true
                    if pairedWithLow { index += 12 } else { replace(6, with: replacementEscape) }
                } else {
                    index += 6
                }
            default:
                index += 1
            }
        }
        guard copiedUpTo > 0 else { return json }
        output += bytes[copiedUpTo...]
        return String(decoding: output, as: UTF8.self)
    }

    private static let replacementEscape = Array("\\ufffd".utf8)
}
