extension Timestamp {
    /// Parses the date-times the four APIs send, leniently: `2024-01-01T00:00:00Z`,
    /// `2022-06-28T17:39:26.459Z`, seven fractional digits with `+00:00`, a space instead of `T`
    /// (`2022-12-13 07:08:39.051621Z`), no zone at all (read as UTC), and a bare `2024-01-01`.
    /// Fractions beyond milliseconds are truncated.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses UTF-8 bytes, as ``init(iso8601:)`` parses text (for values read straight out of a JSON body).
    public init?(iso8601Bytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(bytes) else { return nil }
        self = parsed
    }

    /// Reads a date-time left to right. A struct with mutating methods, not closures over a
    /// local: a captured `var` is boxed and every access to it checked for exclusivity at run
    /// time, and this runs for every timestamp of every answer.
    private struct Reader {
        let s: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == s.count }

        mutating func number(_ digits: Int) -> Int? {
            guard position + digits <= s.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = s[position + offset]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += digits
            return value
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            guard position < s.count, s[position] == byte else { return false }
            position += 1
            return true
        }

        /// Up to three digits of a fraction as milliseconds, the rest skipped; nil without a digit.
        mutating func milliseconds() -> Int? {
            var millisecond = 0
            var digits = 0
            while position < s.count, s[position] >= UInt8(ascii: "0"), s[position] <= UInt8(ascii: "9") {
                if digits < 3 { millisecond = millisecond * 10 + Int(s[position] - UInt8(ascii: "0")) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { millisecond *= 10 }
            return millisecond
        }

        /// `Z`, nothing, or `±hh[:mm]`, as minutes east of UTC; nil when malformed.
        mutating func offsetMinutes() -> Int? {
            if atEnd || expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) { return 0 }
            let sign: Int
            if expect(UInt8(ascii: "+")) {
                sign = 1
            } else if expect(UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = number(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            let minutes = number(2) ?? 0
            guard hours <= 23, minutes <= 59 else { return nil }
            return sign * (hours * 60 + minutes)
        }
    }

    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var reader = Reader(s: s)
        guard let year = reader.number(4), reader.expect(UInt8(ascii: "-")), let month = reader.number(2),
            reader.expect(UInt8(ascii: "-")), let day = reader.number(2)
        else { return nil }
        if reader.atEnd {
            return Timestamp(year: year, month: month, day: day)
        }
        guard reader.expect(UInt8(ascii: "T")) || reader.expect(UInt8(ascii: "t")) || reader.expect(UInt8(ascii: " "))
        else { return nil }
        guard let hour = reader.number(2), reader.expect(UInt8(ascii: ":")), let minute = reader.number(2) else {
            return nil
        }
        var second = 0
        var millisecond = 0
        if reader.expect(UInt8(ascii: ":")) {
            guard let value = reader.number(2) else { return nil }
            second = value
            if reader.expect(UInt8(ascii: ".")) || reader.expect(UInt8(ascii: ",")) {
                guard let value = reader.milliseconds() else { return nil }
                millisecond = value
            }
        }
        guard let offsetMinutes = reader.offsetMinutes(), reader.atEnd else { return nil }
        // A leap second (":60") is folded into the next second.
        let leap = second == 60 ? 1 : 0
        guard
            let base = Timestamp(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second - leap,
                millisecond: millisecond)
        else {
            return nil
        }
        // The zone can carry the instant past the format's first or last year: refused, not clamped.
        return Timestamp(
            validMillisecondsSinceEpoch: base.millisecondsSinceEpoch + Int64(leap) * 1000 - Int64(offsetMinutes)
                * 60_000)
    }
}
