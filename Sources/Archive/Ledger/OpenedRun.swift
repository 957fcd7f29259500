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
}
