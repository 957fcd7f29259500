import SessionSyncSupport

/// The IMF-fixdate of RFC 9110 (`Sun, 06 Nov 1994 08:49:37 GMT`), as `Retry-After` sends it.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    public static func parse(_ text: String) -> Timestamp? {
        // "Sun, 06 Nov 1994 08:49:37 GMT" → ["Sun,", "06", "Nov", "1994", "08:49:37", "GMT"]
        let parts = text.split(separator: " ")
        // Fixed widths (2-digit day and time fields, 4-digit year): anything else is not an
        // IMF-fixdate, and a year like 999999999 never reaches the calendar arithmetic.
        guard parts.count == 6, parts[5] == "GMT", parts[1].utf8.count == 2, parts[3].utf8.count == 4,
            let day = Int(parts[1]),
            let monthIndex = months.firstIndex(of: parts[2].lowercased()),
            let year = Int(parts[3])
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, time.allSatisfy({ $0.utf8.count == 2 }),
            let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2])
        else { return nil }
        return Timestamp(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
    }

    public static func format(_ timestamp: Timestamp) -> String {
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = timestamp.civil
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(weekdays[c.weekday]), \(two(c.day)) \(names[c.month - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }
}
