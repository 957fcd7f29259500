#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An instant with millisecond precision, written the one way the archive stores time:
/// ISO-8601 UTC with milliseconds and `Z` (`2022-06-28T17:39:26.459Z`), which sorts as text and
/// which SQLite's date functions read.
///
/// Every timestamp lies in 0001-01-01T00:00:00.000Z ... 9999-12-31T23:59:59.999Z, the years that
/// format has four digits for: parsers refuse instants outside it (``init(validMillisecondsSinceEpoch:)``,
/// ``init(year:month:day:hour:minute:second:millisecond:)``) and arithmetic stops at its ends, so
/// formatting never meets a year it cannot write.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    /// 0001-01-01T00:00:00.000Z.
    public static let earliest = Timestamp(unchecked: -62_135_596_800_000)
    /// 9999-12-31T23:59:59.999Z.
    public static let latest = Timestamp(unchecked: 253_402_300_799_999)

    /// The instant `millisecondsSinceEpoch` after 1970, held to ``earliest``...``latest``: for
    /// values of our own making (clocks, sums). A value from upstream goes through
    /// ``init(validMillisecondsSinceEpoch:)``, which refuses what is out of range.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = min(
            max(millisecondsSinceEpoch, Self.earliest.millisecondsSinceEpoch), Self.latest.millisecondsSinceEpoch)
    }

    /// The instant `millisecondsSinceEpoch` after 1970, or nil outside ``earliest``...``latest``.
    public init?(validMillisecondsSinceEpoch milliseconds: Int64) {
        guard milliseconds >= Self.earliest.millisecondsSinceEpoch, milliseconds <= Self.latest.millisecondsSinceEpoch
        else { return nil }
        self.millisecondsSinceEpoch = milliseconds
    }

    private init(unchecked milliseconds: Int64) {
        self.millisecondsSinceEpoch = milliseconds
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// This instant moved by `milliseconds`, stopping at ``earliest`` or ``latest``.
    public func adding(milliseconds: Int64) -> Timestamp {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(milliseconds)
        return Timestamp(millisecondsSinceEpoch: overflow ? (milliseconds < 0 ? .min : .max) : sum)
    }

    public func adding(_ duration: Duration) -> Timestamp {
        adding(milliseconds: duration.milliseconds)
    }

    public func subtracting(_ duration: Duration) -> Timestamp {
        let milliseconds = duration.milliseconds
        return adding(milliseconds: milliseconds == .min ? .max : -milliseconds)
    }

    /// `2022-06-28T17:39:26.459Z`.
    public var iso8601: String {
        let parts = civil
        // Written straight into the string's storage: this runs for every timestamp bound.
        return String(unsafeUninitializedCapacity: 24) { bytes in
            Self.put(parts.year, digits: 4, into: bytes, at: 0)
            bytes[4] = UInt8(ascii: "-")
            Self.put(parts.month, digits: 2, into: bytes, at: 5)
            bytes[7] = UInt8(ascii: "-")
            Self.put(parts.day, digits: 2, into: bytes, at: 8)
            bytes[10] = UInt8(ascii: "T")
            Self.put(parts.hour, digits: 2, into: bytes, at: 11)
            bytes[13] = UInt8(ascii: ":")
            Self.put(parts.minute, digits: 2, into: bytes, at: 14)
            bytes[16] = UInt8(ascii: ":")
            Self.put(parts.second, digits: 2, into: bytes, at: 17)
            bytes[19] = UInt8(ascii: ".")
            Self.put(parts.millisecond, digits: 3, into: bytes, at: 20)
            bytes[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The UTC day, `2022-06-28`.
    public var day: String {
        String(iso8601.prefix(10))
    }

    public var description: String {
        iso8601
    }

    /// Midnight UTC of this instant's day.
    public var startOfDay: Timestamp {
        let day =
            millisecondsSinceEpoch >= 0
            ? millisecondsSinceEpoch / 86_400_000
            : (millisecondsSinceEpoch - 86_399_999) / 86_400_000
        return Timestamp(millisecondsSinceEpoch: day * 86_400_000)
    }

    /// Calendar fields in UTC (proleptic Gregorian).
    public var civil:
        (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int, weekday: Int)
    {
        let ms = millisecondsSinceEpoch
        var days = ms / 86_400_000
        var rest = ms % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (year, month, day) = Self.civilFromDays(days)
        // 1970-01-01 was a Thursday; weekday 0 is Sunday, as in cron.
        let weekday = Int(((days % 7) + 11) % 7)
        return (
            year, month, day,
            Int(rest / 3_600_000), Int(rest / 60_000 % 60), Int(rest / 1000 % 60), Int(rest % 1000),
            weekday
        )
    }

    /// The instant of a UTC calendar time, or nil when a field is out of range (years 1 to 9999).
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0)
    {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (0...999).contains(millisecond)
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        self.init(
            millisecondsSinceEpoch: days * 86_400_000 + Int64(hour) * 3_600_000 + Int64(minute) * 60_000
                + Int64(second) * 1000 + Int64(millisecond)
        )
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    private static func put(_ value: Int, digits: Int, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var value = value
        for position in stride(from: offset + digits - 1, through: offset, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }
}

extension Duration {
    /// Whole milliseconds (rounded toward zero), held to `Int64`'s range: a duration read from
    /// upstream (a `Retry-After` of 10^16 seconds) must not trap.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
