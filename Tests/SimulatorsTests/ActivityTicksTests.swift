import SessionSyncSupport
import Simulators
import Testing

@Suite("ActivityTicks: when simulated data changes")
struct ActivityTicksTests {
    static let start = Timestamp(iso8601: "2026-11-20T12:00:00Z")!

    @Test("one moment per period, consumed once, the remainder kept")
    func periods() {
        var ticks = ActivityTicks(period: .seconds(10), start: Self.start)
        #expect(ticks.due(at: Self.start.adding(.seconds(9))).isEmpty)
        #expect(
            ticks.due(at: Self.start.adding(.seconds(35))).map(\.iso8601) == [
                "2026-11-20T12:00:10.000Z", "2026-11-20T12:00:20.000Z", "2026-11-20T12:00:30.000Z",
            ])
        #expect(ticks.due(at: Self.start.adding(.seconds(39))).isEmpty)
        #expect(ticks.due(at: Self.start.adding(.seconds(40))).map(\.iso8601) == ["2026-11-20T12:00:40.000Z"])
    }

    @Test("a long gap is caught up at most `limit` steps, the rest skipped; no period means no change")
    func backlog() {
        var ticks = ActivityTicks(period: .seconds(1), start: Self.start)
        #expect(ticks.due(at: Self.start.adding(.seconds(1000)), limit: 5).count == 5)
        #expect(ticks.last == Self.start.adding(.seconds(1000)))
        var still = ActivityTicks(period: nil, start: Self.start)
        #expect(still.due(at: Self.start.adding(.seconds(1000))).isEmpty)
    }
}
