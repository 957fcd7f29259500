import Archive

/// The counters of the pass in flight, shared by its concurrent requests and commits.
public actor RunProgressTracker {
    public private(set) var progress = RunProgress()
    public private(set) var stats = WriteStats()

    public init() {}

    func countRequest() {
        progress.requests += 1
    }

    func add(_ written: WriteStats) {
        stats += written
        progress.sessionsUpserted = stats.sessionsUpserted
        progress.rowsWritten = stats.rowsWritten
        progress.maxCommitMilliseconds = stats.maxCommitMilliseconds
    }

    func warn(_ message: String) {
        if !progress.warnings.contains(message) {
            progress.warnings.append(message)
        }
    }
}
