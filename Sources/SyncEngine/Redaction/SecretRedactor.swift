/// Masks secrets in text on its way to a log line, the archive or a terminal: every configured
/// secret value (as written, percent-encoded and JSON-escaped), and the value after an
/// `Authorization`, `api-key`, `x-api-key`, `api_key` or `access_token` label or the word `Bearer`,
/// configured or not (a gateway that echoes a header may echo one we did not send, and `status`
/// reads texts without knowing any secret).
///
/// ```swift
/// let redactor = SecretRedactor(secrets: configuration.sources.flatMap(\.secrets))
/// redactor.redact("401: bad header Authorization: Bearer sk-123")  // "401: bad header Authorization: Bearer [redacted]"
/// ```
public struct SecretRedactor: Sendable {
    public static let mask = "[redacted]"

    /// The byte strings masked wherever they occur, longest first, so that a value inside a
    /// longer one (a key and its percent-encoding) never leaves part of the longer one behind.
    private let needles: [[UInt8]]

    /// A redactor for these secrets' values (empty values, of secrets not read, are skipped).
    public init(secrets: [Secret]) {
        self.init(values: secrets.map { $0.reveal() })
    }

    /// A redactor for these values; with none it still masks labelled values and bearer tokens.
    public init(values: [String] = []) {
        self.init(needles: values.filter { !$0.isEmpty }.flatMap { Self.encodings(of: $0).map { Array($0.utf8) } })
    }

    private init(needles: [[UInt8]]) {
        self.needles = Set(needles).sorted {
            $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1)
        }
    }

    /// A redactor that masks what either one masks (a reloaded config's secrets beside the old
    /// ones, which passes still in flight may carry).
    public func adding(_ other: SecretRedactor) -> SecretRedactor {
        SecretRedactor(needles: needles + other.needles)
    }

    /// `text` with every secret replaced by ``mask``.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let valuesMasked = maskNeedles(in: bytes)
        let masked = Self.maskLabelledValues(in: valuesMasked ?? bytes)
        guard valuesMasked != nil || masked != nil else { return text }
        return String(decoding: masked ?? valuesMasked ?? bytes, as: UTF8.self)
    }

    // MARK: Configured values

    /// The forms a value takes in the texts we see: as is, in a URL (percent-encoded, upper- or
    /// lower-case hex, `+` for a space), and inside a JSON or Swift string literal.
    static func encodings(of value: String) -> Set<String> {
        var forms: Set<String> = [value]
        let percent = percentEncoded(value)
        forms.insert(percent)
        forms.insert(percentEncoded(value, lowercaseHex: true))
        forms.insert(percent.replacingPercentTwenty())
        let escaped = jsonEscaped(value)
        forms.insert(escaped)
        forms.insert(escaped.replacingSlashes())
        return forms
    }

    private static func percentEncoded(_ value: String, lowercaseHex: Bool = false) -> String {
        let hex = Array((lowercaseHex ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        var bytes: [UInt8] = []
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func jsonEscaped(_ value: String) -> String {
        var text = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }

    /// `bytes` with every needle masked, or nil when none occurs.
    private func maskNeedles(in bytes: [UInt8]) -> [UInt8]? {
        guard !needles.isEmpty else { return nil }
        var output: [UInt8]?
        var index = 0
        var copiedUpTo = 0
        while index < bytes.count {
            guard let needle = needles.first(where: { bytes.hasPrefix($0, at: index) }) else {
                index += 1
                continue
            }
            if output == nil { output = [] }
            output! += bytes[copiedUpTo..<index]
            output! += Self.maskBytes
            index += needle.count
            copiedUpTo = index
        }
        guard var output else { return nil }
        output += bytes[copiedUpTo...]
        return output
    }

    // MARK: Labelled values

    private static let maskBytes = Array(mask.utf8)
    /// Lower-case labels whose value is masked when a `:` or `=` follows them.
    private static let labels = ["authorization", "api-key", "api_key", "access_token"].map { Array($0.utf8) }
    private static let bearer = Array("bearer".utf8)

    /// Words that name an authorization scheme: `Authorization: Bearer X` masks only `X`.
    private static let schemes = ["bearer", "basic", "token", "digest", "apikey", "key"].map { Array($0.utf8) }

    /// Where a value ends: white space, quotes, escapes, and the separators of headers, JSON,
    /// query strings and lists.
    private static func endsValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "\""),
            UInt8(ascii: "'"),
            UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "}"),
            UInt8(ascii: ")"),
            UInt8(ascii: "<"), UInt8(ascii: ">"):
            true
        default:
            false
        }
    }

    /// `bytes` with the value after each label, and each bearer token, masked; nil when there is none.
    private static func maskLabelledValues(in bytes: [UInt8]) -> [UInt8]? {
        let lowered = bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        var output: [UInt8]?
        var index = 0
        var copiedUpTo = 0
        while index < bytes.count {
            guard let value = valueRange(in: lowered, at: index) else {
                index += 1
                continue
            }
            if output == nil { output = [] }
            output! += bytes[copiedUpTo..<value.lowerBound]
            output! += maskBytes
            index = value.upperBound
            copiedUpTo = index
        }
        guard var output else { return nil }
        output += bytes[copiedUpTo...]
        return output
    }

    /// The range of the value to mask when a label or `bearer` starts at `start`.
    private static func valueRange(in lowered: [UInt8], at start: Int) -> Range<Int>? {
        var index = start
        let skipSpaces = {
            while index < lowered.count, lowered[index] == UInt8(ascii: " ") || lowered[index] == UInt8(ascii: "\t") {
                index += 1
            }
        }
        if lowered.hasPrefix(bearer, at: start) {
            index += bearer.count
            let before = index
            skipSpaces()
            guard index > before else { return nil }
        } else if let label = labels.first(where: { lowered.hasPrefix($0, at: start) }) {
            index += label.count
            // `"label": "value"`, `\"label\": \"value\"`, `label: value`, `label=value`.
            let skipQuote = {
                if index < lowered.count, lowered[index] == UInt8(ascii: "\\") { index += 1 }
                if index < lowered.count, lowered[index] == UInt8(ascii: "\"") || lowered[index] == UInt8(ascii: "'") {
                    index += 1
                }
            }
            skipQuote()
            skipSpaces()
            guard index < lowered.count, lowered[index] == UInt8(ascii: ":") || lowered[index] == UInt8(ascii: "=")
            else { return nil }
            index += 1
            skipSpaces()
            skipQuote()
            if let scheme = schemes.first(where: { lowered.hasPrefix($0, at: index) }),
                index + scheme.count < lowered.count, lowered[index + scheme.count] == UInt8(ascii: " ")
            {
                index += scheme.count
                skipSpaces()
            }
        } else {
            return nil
        }
        let valueStart = index
        while index < lowered.count, !endsValue(lowered[index]) { index += 1 }
        return index > valueStart ? valueStart..<index : nil
    }
}

extension Array where Element == UInt8 {
    fileprivate func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= count, self[index] == prefix[0] else { return false }
        for offset in 1..<prefix.count where self[index + offset] != prefix[offset] { return false }
        return true
    }
}

extension String {
    /// `%20` as `+`, as HTML forms and many query encoders write a space.
    fileprivate func replacingPercentTwenty() -> String {
        split(separator: "%20", omittingEmptySubsequences: false).joined(separator: "+")
    }

    /// `/` as `\/`, as some JSON encoders write it.
    fileprivate func replacingSlashes() -> String {
        split(separator: "/", omittingEmptySubsequences: false).joined(separator: "\\/")
    }
}
