import SessionSyncSupport

/// A run opened for a pass (``ArchiveBackend/openRun(source:provider:pid:isAlive:)``).
public struct OpenedRun: Sendable {
    public let sourceID: Int64
    /// Nil when another live process is running the source: the pass is skipped.
    public let runID: Int64?
    /// When the pass starts: never before the end of the source's previous run.
    public let startedAt: Timestamp

    public init(sourceID: Int64, runID: Int64?, startedAt: Timestamp) {
        self.sourceID = sourceID
        self.runID = runID
        self.startedAt = startedAt
    }

    /// When a new run of a source may say it started: `now`, or just after the source's last run
    /// ended (`previousEnd`: its latest finish, heartbeat or start) when the clock has not moved
    /// on since (timestamps have millisecond resolution). Work a run records is then always later
    /// than the start of every earlier run, which is how a pass tells "tried in this pass" from
    /// "tried before" in the fetch queue.
    public static func start(now: Timestamp, previousEnd: Timestamp?) -> Timestamp {
        guard let previousEnd, previousEnd >= now else { return now }
        return previousEnd.adding(milliseconds: 1)
    }
}
