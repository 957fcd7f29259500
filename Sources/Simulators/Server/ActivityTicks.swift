import SessionSyncSupport

/// The moments at which a simulator's data changes over time: one every `period` since the last
/// change. A long gap (a demo left alone for an hour) is caught up at most `limit` steps at a
/// time; the rest of the backlog is skipped rather than replayed.
public struct ActivityTicks: Sendable {
    /// Nil: the data never changes by itself (tests move it with explicit controls).
    public let period: Duration?
    public private(set) var last: Timestamp

    public init(period: Duration?, start: Timestamp) {
        self.period = period
        self.last = start
    }

    /// The moments due by `now`, oldest first; they are consumed.
    public mutating func due(at now: Timestamp, limit: Int = 200) -> [Timestamp] {
        guard let period, period > .zero else { return [] }
        let step = period.milliseconds
        let count = (now.millisecondsSinceEpoch - last.millisecondsSinceEpoch) / step
        guard count > 0 else { return [] }
        let taken = min(count, Int64(limit))
        let base = last
        last = taken < count ? now : last.adding(milliseconds: taken * step)
        return (1...taken).map { base.adding(milliseconds: $0 * step) }
    }
}
