import SessionSyncSupport

/// One spelling for every JSON text of the same value, so that a SQLite archive's JSON text and
/// PostgreSQL's `jsonb` (which keeps the value, not the bytes) compare equal when they hold the
/// same thing, and differ when a value does.
///
/// `jsonb` drops whitespace, orders an object's keys its own way, keeps only the last of
/// duplicate keys, writes `1e2` as `100`, and holds U+0000 as U+FFFD (``PostgresStoredText``).
/// The canonical form does all of that on both sides: no whitespace, keys in the order of their
/// UTF-8 bytes with the last duplicate kept, strings decoded and written with only the escapes
/// JSON requires, U+0000 as U+FFFD, and every number as its exact decimal value (digits without
/// leading or trailing zeros and an exponent: `100`, `1.0` and `1e2` are all `1e2`), never
/// through a `Double`, which would round numbers jsonb keeps exactly.
public enum CanonicalJSON {
    /// The canonical text of `json`, or nil when it is not valid JSON.
    public static func text(_ json: String) -> String? {
        guard let document = try? JSONDocument(text: json) else { return nil }
        var output: [UInt8] = []
        write(document.root, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value.kind {
        case .null: output += Array("null".utf8)
        case .bool: output += Array((value.bool == true ? "true" : "false").utf8)
        case .number: output += Array(number(value.rawText).utf8)
        case .string: JSONOutput.writeString(cleaned(value.string ?? ""), to: &output)
        case .array:
            output.append(UInt8(ascii: "["))
            for (offset, element) in value.elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object:
            // The last of duplicate keys wins, as in jsonb.
            var members: [String: JSONValue] = [:]
            for member in value.members { members[cleaned(member.key)] = member.value }
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (offset, key) in keys.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                JSONOutput.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                if let member = members[key] { write(member, to: &output) }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// U+0000 as U+FFFD, as PostgreSQL stores it; the JSON reader already decodes a lone
    /// surrogate escape as U+FFFD.
    private static func cleaned(_ text: String) -> String {
        PostgresStoredText.text(text)
    }

    /// The exact decimal value of the JSON number `text`: `-` when negative, its significant
    /// digits, then `e` and the power of ten they are multiplied by when it is not 0 (`0` for
    /// zero, whatever its sign). A number whose exponent does not fit an `Int` stays as written.
    static func number(_ text: String) -> String {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var afterPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") {
                afterPoint = true
                continue
            }
            if afterPoint { exponent -= 1 }
            if digits.isEmpty && byte == UInt8(ascii: "0") { continue }
            digits.append(byte)
        }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            guard let written = Int(String(decoding: bytes, as: UTF8.self)) else { return text }
            let (sum, overflow) = exponent.addingReportingOverflow(written)
            guard !overflow else { return text }
            exponent = sum
        }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        guard !digits.isEmpty else { return "0" }
        return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self) + (exponent == 0 ? "" : "e\(exponent)")
    }
}
