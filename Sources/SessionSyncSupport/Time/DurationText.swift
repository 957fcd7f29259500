/// Durations as people write them in the config: `30s`, `5m`, `1h`, `1d`, `500ms`, `1h30m`.
public enum DurationText {
    /// Parses `text`; nil when it is not a sequence of `<digits><unit>` with units ms, s, m, h, d.
    public static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var digits: Int64? = nil
        var chars = Array(text.utf8)[...]
        guard !chars.isEmpty else { return nil }
        while let byte = chars.first {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                let (times10, overflow) = (digits ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                digits = times10 + Int64(byte - UInt8(ascii: "0"))
                chars = chars.dropFirst()
                continue
            }
            guard let value = digits else { return nil }
            let milliseconds: Int64
            if chars.starts(with: "ms".utf8) {
                milliseconds = 1
                chars = chars.dropFirst(2)
            } else {
                switch byte {
                case UInt8(ascii: "s"): milliseconds = 1000
                case UInt8(ascii: "m"): milliseconds = 60_000
                case UInt8(ascii: "h"): milliseconds = 3_600_000
                case UInt8(ascii: "d"): milliseconds = 86_400_000
                default: return nil
                }
                chars = chars.dropFirst()
            }
            let (part, overflow) = value.multipliedReportingOverflow(by: milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow, !overflow2 else { return nil }
            total = sum
            digits = nil
        }
        guard digits == nil else { return nil }
        return .milliseconds(total)
    }

    /// The shortest text `parse` reads back as `duration` (`90s` → `1m30s`).
    public static func format(_ duration: Duration) -> String {
        var rest = duration.milliseconds
        if rest == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
