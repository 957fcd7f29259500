import SessionSyncSupport
import SyncEngine
import Testing

@Suite("CronExpression finds the next matching minute in UTC")
struct CronExpressionTests {
    static func at(_ text: String) -> Timestamp {
        Timestamp(iso8601: text)!
    }

    static let cases: [(String, String, String)] = [
        ("*/10 * * * *", "2026-11-22T13:57:29Z", "2026-11-22T14:00:00.000Z"),
        ("*/10 * * * *", "2026-11-22T14:00:00Z", "2026-11-22T14:10:00.000Z"),
        ("0 0 * * *", "2026-12-31T23:59:00Z", "2027-01-01T00:00:00.000Z"),
        ("30 2 * * mon", "2026-11-22T13:00:00Z", "2026-11-23T02:30:00.000Z"),
        ("0 9 1 jan *", "2026-11-22T13:00:00Z", "2027-01-01T09:00:00.000Z"),
        ("0 12 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00.000Z"),
        ("15,45 8-9 * * 1-5", "2026-11-21T10:00:00Z", "2026-11-23T08:15:00.000Z"),
        ("0 0 1 * 0", "2026-11-22T01:00:00Z", "2026-11-29T00:00:00.000Z"),
        ("5 * * * 7", "2026-11-21T23:59:00Z", "2026-11-22T00:05:00.000Z"),
    ]

    @Test("next run", arguments: cases)
    func next(expression: String, after: String, expected: String) throws {
        let cron = try CronExpression(expression)
        #expect(cron.next(after: Self.at(after))?.iso8601 == expected)
    }

    @Test("an expression that never matches has no next run")
    func never() throws {
        #expect(try CronExpression("0 0 30 2 *").next(after: Self.at("2026-01-01T00:00:00Z")) == nil)
    }

    static let invalid = [
        "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *",
        "a * * * *", "1,,2 * * * *",
    ]

    @Test("invalid expressions are refused with the field named", arguments: invalid)
    func rejects(expression: String) {
        #expect(throws: CronParseError.self) { try CronExpression(expression) }
    }

    @Test("every-schedules run at once when never run, then after the interval")
    func every() {
        let schedule = Schedule.every(.seconds(300))
        let now = Self.at("2026-11-22T14:00:00Z")
        #expect(schedule.nextStart(lastStart: nil, now: now) == now)
        #expect(
            schedule.nextStart(lastStart: Self.at("2026-11-22T13:58:00Z"), now: now).iso8601
                == "2026-11-22T14:03:00.000Z")
    }
}
