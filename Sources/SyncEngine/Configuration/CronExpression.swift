import SessionSyncSupport

/// A 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, and names for
/// months (`jan`) and weekdays (`mon`; 0 and 7 are Sunday). As in Vixie cron, when both
/// day-of-month and day-of-week are restricted a day matching either one matches.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let daysOfMonth: Set<Int>
    private let months: Set<Int>
    private let daysOfWeek: Set<Int>
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    /// Parses `text`; throws a message naming the bad field.
    public init(_ text: String) throws(CronParseError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronParseError(
                message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.text = text
        minutes = try Self.parseField(fields[0], name: "minute", range: 0...59, names: [:])
        hours = try Self.parseField(fields[1], name: "hour", range: 0...23, names: [:])
        daysOfMonth = try Self.parseField(fields[2], name: "day-of-month", range: 1...31, names: [:])
        months = try Self.parseField(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        var weekdays = try Self.parseField(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    public var description: String {
        text
    }

    /// The first matching minute strictly after `instant`, or nil if none within five years
    /// (an expression such as `0 0 30 2 *` never matches).
    public func next(after instant: Timestamp) -> Timestamp? {
        // Start at the next whole minute.
        var minute = instant.millisecondsSinceEpoch / 60_000 + 1
        let limit = minute + 5 * 366 * 24 * 60
        while minute < limit {
            let candidate = Timestamp(millisecondsSinceEpoch: minute * 60_000)
            let parts = candidate.civil
            if !months.contains(parts.month) {
                // Jump to the first minute of the next month.
                let nextMonth = parts.month == 12 ? 1 : parts.month + 1
                let year = parts.month == 12 ? parts.year + 1 : parts.year
                minute = Timestamp(year: year, month: nextMonth, day: 1)!.millisecondsSinceEpoch / 60_000
                continue
            }
            if !dayMatches(day: parts.day, weekday: parts.weekday) {
                minute = (candidate.startOfDay.millisecondsSinceEpoch + 86_400_000) / 60_000
                continue
            }
            if !hours.contains(parts.hour) {
                minute = (minute / 60 + 1) * 60
                continue
            }
            if minutes.contains(parts.minute) {
                return candidate
            }
            minute += 1
        }
        return nil
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): daysOfMonth.contains(day) || daysOfWeek.contains(weekday)
        case (true, false): daysOfMonth.contains(day)
        case (false, true): daysOfWeek.contains(weekday)
        case (false, false): true
        }
    }

    private static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11,
        "dec": 12,
    ]
    private static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func parseField(_ field: String, name: String, range: ClosedRange<Int>, names: [String: Int])
        throws(CronParseError) -> Set<Int>
    {
        var values: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let stepParts = part.split(separator: "/", omittingEmptySubsequences: false)
            guard stepParts.count <= 2 else {
                throw CronParseError(message: "\(name) field \"\(field)\": more than one '/'")
            }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed > 0 else {
                    throw CronParseError(
                        message: "\(name) field \"\(field)\": step \"\(stepParts[1])\" is not a positive number")
                }
                step = parsed
            }
            let base = stepParts[0]
            let lower: Int
            var upper: Int
            if base == "*" {
                lower = range.lowerBound
                upper = range.upperBound
                if name == "day-of-week" { upper = 6 }
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let first = value(bounds[0], names: names) else {
                    throw CronParseError(message: "\(name) field \"\(field)\": \"\(base)\" is not a number or range")
                }
                lower = first
                if bounds.count == 2 {
                    guard let second = value(bounds[1], names: names) else {
                        throw CronParseError(message: "\(name) field \"\(field)\": \"\(bounds[1])\" is not a number")
                    }
                    upper = second
                } else {
                    upper = stepParts.count == 2 ? range.upperBound : first
                }
            }
            guard range.contains(lower), range.contains(upper) else {
                throw CronParseError(
                    message: "\(name) field \"\(field)\": values must be within \(range.lowerBound)-\(range.upperBound)"
                )
            }
            guard lower <= upper else {
                throw CronParseError(message: "\(name) field \"\(field)\": range \(lower)-\(upper) runs backwards")
            }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        return values
    }

    private static func value(_ text: Substring, names: [String: Int]) -> Int? {
        if let number = Int(text) { return number }
        return names[text.lowercased()]
    }
}

/// Why a cron expression could not be read.
public struct CronParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public var description: String {
        message
    }
}
