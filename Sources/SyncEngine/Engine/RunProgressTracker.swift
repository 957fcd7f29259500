import Archive
import SessionSyncSupport
import Synchronization

/// The counters of the pass in flight, shared by its concurrent requests and commits.
public actor RunProgressTracker {
    private var counters = RunProgress()
    public private(set) var stats = WriteStats()
    /// Counted outside the actor: every request adds one, and a hop per request is pure cost.
    private nonisolated let requests = Atomic<Int>(0)
    /// Drifted fields of this run by endpoint and path, in the order first seen, with their counts.
    private var drift: [SchemaDrift] = []
    private var quarantined = 0
    /// Warnings go to the ledger, `status` and `sync`'s output: those given to ``warn(_:)`` are
    /// redacted here; drift samples arrive redacted with their batch (``SyncPass/commit(_:)``).
    private let redactor: SecretRedactor

    public init(redactor: SecretRedactor) {
        self.redactor = redactor
    }

    /// The counters so far; drift and quarantine are summed up in one warning each.
    public var progress: RunProgress {
        var snapshot = counters
        snapshot.requests = requests.load(ordering: .relaxed)
        if !drift.isEmpty {
            let values = drift.reduce(0) { $0 + $1.count }
            let shown = drift.prefix(3).map { "\($0.endpoint) \($0.path): expected \($0.expected), found \($0.found)" }
            let more = drift.count > 3 ? "; and \(drift.count - 3) more field(s)" : ""
            snapshot.warnings.append(
                "schema drift: \(values) value(s) in \(drift.count) field(s) stored as NULL, the rest of their records archived (\(shown.joined(separator: "; "))\(more)); see the schema_drift table"
            )
        }
        if quarantined > 0 {
            snapshot.warnings.append(
                "quarantine: \(quarantined) record(s) without a usable id or cursor time kept aside verbatim, the rest of their pages archived; see the quarantine table"
            )
        }
        if stats.childSetsDropped > 0 {
            snapshot.warnings.append(
                "\(stats.childSetsDropped) child set(s) (participants, messages, transcripts) arrived for sessions no longer in the archive and were not written"
            )
        }
        return snapshot
    }

    /// Counts what a committed batch recorded as drift or quarantined.
    func note(drift batchDrift: [SchemaDrift], quarantined batchQuarantined: Int) {
        quarantined += batchQuarantined
        for item in batchDrift {
            if let index = drift.firstIndex(where: {
                $0.endpoint == item.endpoint && $0.path == item.path && $0.expected == item.expected
            }) {
                drift[index].count += item.count
            } else {
                drift.append(item)
            }
        }
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

    func warn(_ text: String) {
        let message = redactor.redact(text)
        if !counters.warnings.contains(message) {
            counters.warnings.append(message)
        }
    }
}
