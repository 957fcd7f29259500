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

    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var position = 0
        func number(_ digits: Int) -> Int? {
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
        func expect(_ character: Character) -> Bool {
            guard position < s.count, s[position] == character.asciiValue else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else { return nil }
        if position == s.count {
            return Timestamp(year: year, month: month, day: day)
        }
        guard expect("T") || expect("t") || expect(" ") else { return nil }
        guard let hour = number(2), expect(":"), let minute = number(2) else { return nil }
        var second = 0
        var millisecond = 0
        if expect(":") {
            guard let value = number(2) else { return nil }
            second = value
            if expect(".") || expect(",") {
                var digits = 0
                while position < s.count, s[position] >= UInt8(ascii: "0"), s[position] <= UInt8(ascii: "9") {
                    if digits < 3 { millisecond = millisecond * 10 + Int(s[position] - UInt8(ascii: "0")) }
                    digits += 1
                    position += 1
                }
                guard digits > 0 else { return nil }
                if digits < 3 {
                    for _ in digits..<3 { millisecond *= 10 }
                }
            }
        }
        var offsetMinutes = 0
        if position < s.count {
            if expect("Z") || expect("z") {
                // UTC
            } else if s[position] == UInt8(ascii: "+") || s[position] == UInt8(ascii: "-") {
                let sign = s[position] == UInt8(ascii: "-") ? -1 : 1
                position += 1
                guard let hours = number(2) else { return nil }
                _ = expect(":")
                let minutes = number(2) ?? 0
                guard hours <= 23, minutes <= 59 else { return nil }
                offsetMinutes = sign * (hours * 60 + minutes)
            } else {
                return nil
            }
        }
        guard position == s.count else { return nil }
        // A leap second (":60") is folded into the next second.
        let leap = second == 60 ? 1 : 0
        guard let base = Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second - leap, millisecond: millisecond) else {
            return nil
        }
        return base.adding(milliseconds: Int64(leap) * 1000 - Int64(offsetMinutes) * 60_000)
    }
}
