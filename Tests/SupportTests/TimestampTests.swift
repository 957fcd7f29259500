import SessionSyncSupport
import Testing

@Suite("Timestamp formats and parses the archive's one time format")
struct TimestampTests {
    @Test("epoch milliseconds format as ISO-8601 UTC with milliseconds and Z")
    func formats() {
        #expect(Timestamp(millisecondsSinceEpoch: 1_656_437_966_459).iso8601 == "2022-06-28T17:39:26.459Z")
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_000).iso8601 == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_656_437_966_459).day == "2022-06-28")
    }

    static let inputs: [(String, String?)] = [
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z"),
        ("2022-06-28T17:39:26.459Z", "2022-06-28T17:39:26.459Z"),
        ("2026-11-20T10:00:00.1234567+00:00", "2026-11-20T10:00:00.123Z"),
        ("2022-12-13 07:08:39.051621Z", "2022-12-13T07:08:39.051Z"),
        ("2024-03-01T01:30:00+02:00", "2024-02-29T23:30:00.000Z"),
        ("2024-03-01T01:30:00-0130", "2024-03-01T03:00:00.000Z"),
        ("2024-03-01T01:30:00.5", "2024-03-01T01:30:00.500Z"),
        ("2024-03-01", "2024-03-01T00:00:00.000Z"),
        ("2024-02-30T00:00:00Z", nil),
        ("2024-13-01", nil),
        ("yesterday", nil),
        ("2024-01-01T25:00:00Z", nil),
        ("2024-01-01T00:00:00Zjunk", nil),
    ]

    @Test("the APIs' date-time variants parse leniently; nonsense does not", arguments: inputs)
    func parses(input: String, expected: String?) {
        #expect(Timestamp(iso8601: input)?.iso8601 == expected)
    }

    @Test("calendar fields and weekday")
    func civil() {
        let instant = Timestamp(iso8601: "2026-11-22T13:57:29.000Z")!
        let parts = instant.civil
        #expect(parts.year == 2026 && parts.month == 11 && parts.day == 22)
        #expect(parts.weekday == 0)  // a Sunday
        #expect(instant.startOfDay.iso8601 == "2026-11-22T00:00:00.000Z")
    }
}

@Suite("DurationText reads the config's durations")
struct DurationTextTests {
    static let inputs: [(String, Int64?)] = [
        ("30s", 30_000), ("5m", 300_000), ("1h", 3_600_000), ("1d", 86_400_000), ("500ms", 500),
        ("1h30m", 5_400_000), ("0s", 0), ("", nil), ("5", nil), ("m", nil), ("5 m", nil), ("5w", nil), ("-5s", nil),
        ("99999999999999999999s", nil),
    ]

    @Test("durations parse", arguments: inputs)
    func parses(input: String, milliseconds: Int64?) {
        #expect(DurationText.parse(input)?.milliseconds == milliseconds)
    }

    @Test("formatting reads back")
    func formats() {
        #expect(DurationText.format(.seconds(90)) == "1m30s")
        #expect(DurationText.format(.milliseconds(86_400_500)) == "1d500ms")
    }
}
