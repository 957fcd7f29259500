import Archive
import Synchronization

/// The counters of the pass in flight, shared by its concurrent requests and commits.
public actor RunProgressTracker {
    private var counters = RunProgress()
    public private(set) var stats = WriteStats()
    /// Counted outside the actor: every request adds one, and a hop per request is pure cost.
    private nonisolated let requests = Atomic<Int>(0)

    public init() {}

    /// The counters so far.
    public var progress: RunProgress {
        var snapshot = counters
        snapshot.requests = requests.load(ordering: .relaxed)
        return snapshot
    }

    nonisolated func countRequest() {
        requests.add(1, ordering: .relaxed)
    }

    func add(_ written: WriteStats) {
        stats += written
        counters.sessionsUpserted = stats.sessionsUpserted
        counters.rowsWritten = stats.rowsWritten
        counters.maxCommitMilliseconds = stats.maxCommitMilliseconds
    }

    func warn(_ message: String) {
        if !counters.warnings.contains(message) {
            counters.warnings.append(message)
        }
    }
}
