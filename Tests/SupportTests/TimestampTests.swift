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
        // The format's years are 0001 to 9999: anything a zone pushes out of them is refused.
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
        ("0000-12-31T23:59:59Z", nil),
        ("0001-01-01T00:30:00+01:00", nil),
        ("9999-12-31T23:30:00-01:00", nil),
        ("10000-01-01T00:00:00Z", nil),
        ("-0001-01-01T00:00:00Z", nil),
    ]

    @Test("the APIs' date-time variants parse leniently; nonsense does not", arguments: inputs)
    func parses(input: String, expected: String?) {
        #expect(Timestamp(iso8601: input)?.iso8601 == expected)
    }

    @Test("epoch milliseconds from upstream are refused outside the years 0001 to 9999")
    func validatedEpoch() {
        #expect(Timestamp(validMillisecondsSinceEpoch: -62_135_596_800_000)?.iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp(validMillisecondsSinceEpoch: 253_402_300_799_999)?.iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp(validMillisecondsSinceEpoch: -62_135_596_800_001) == nil)
        #expect(Timestamp(validMillisecondsSinceEpoch: 253_402_300_800_000) == nil)
        #expect(Timestamp(validMillisecondsSinceEpoch: .max) == nil)
        #expect(Timestamp(validMillisecondsSinceEpoch: .min) == nil)
        #expect(Timestamp(year: 0, month: 1, day: 1) == nil)
        #expect(Timestamp(year: 999_999_999, month: 12, day: 31) == nil)
        #expect(Timestamp(year: -5, month: 1, day: 1) == nil)
    }

    @Test("arithmetic and our own instants stop at the format's ends instead of trapping or writing a 5-digit year")
    func saturates() {
        #expect(Timestamp(millisecondsSinceEpoch: .max).iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp(millisecondsSinceEpoch: .min).iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.latest.adding(milliseconds: .max).iso8601 == "9999-12-31T23:59:59.999Z")
        #expect(Timestamp.earliest.adding(milliseconds: .min).iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Timestamp.now().adding(.seconds(Int64.max)) == Timestamp.latest)
        #expect(Timestamp.now().subtracting(.seconds(Int64.max)) == Timestamp.earliest)
        #expect(Timestamp.earliest.subtracting(.seconds(1)).startOfDay.iso8601 == "0001-01-01T00:00:00.000Z")
        #expect(Duration.seconds(Int64.max).milliseconds == .max)
        #expect(Duration.seconds(Int64.min).milliseconds == .min)
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
        ("99999999999999999999s", nil), ("9000000000000000000ms9000000000000000000ms", nil),
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
