import Archive
import SessionSyncSupport

/// `sessionsync renormalize`: re-derives every column and child set of a source's sessions from
/// the payloads the archive kept, through the provider's own mappers and without a request, and
/// re-tries its quarantined records.
///
/// Each transaction reads and rewrites a few hundred sessions, so a daemon syncing the same
/// archive waits milliseconds for the lock, never for the whole run.
public struct Renormalizer {
    /// Sessions per transaction: short enough that a pass's commit waits milliseconds.
    public static let sessionsPerTransaction = 200

    let store: ArchiveStore
    let now: @Sendable () -> Timestamp

    public init(store: ArchiveStore, now: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.store = store
        self.now = now
    }

    /// Renormalizes the source's archived sessions with `provider`; `progress` hears the sessions
    /// done of the total after every transaction. Nil when the source has never been synced.
    public func run(
        source: String, provider: any Provider, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> RenormalizeSummary? {
        guard let sourceID = try store.source(named: source)?.id else { return nil }
        var summary = RenormalizeSummary(source: source)
        // First, so that a record archived from quarantine is in the archive's form like the others.
        try retryQuarantine(sourceID: sourceID, provider: provider, summary: &summary)
        let total = try store.sessionCount(sourceID: sourceID)
        var after: Int64 = 0
        progress(0, total)
        while true {
            let chunk = try store.renormalize(
                sourceID: sourceID, afterSessionID: after, limit: Self.sessionsPerTransaction, now: now(),
                remap: provider.remap)
            guard let last = chunk.lastSessionID else { break }
            after = last
            summary.sessionsRead += chunk.sessionsRead
            summary.sessionsChanged += chunk.sessionsChanged
            summary.rowsWritten += chunk.rowsWritten
            summary.failureCount += chunk.failures.count
            summary.failures += chunk.failures.prefix(RenormalizeSummary.failuresShown - summary.failures.count)
            summary.add(chunk.drift)
            // Sessions archived meanwhile by a running pass may take the count past the total read at the start.
            progress(summary.sessionsRead, max(total, summary.sessionsRead))
        }
        return summary
    }

    private func retryQuarantine(sourceID: Int64, provider: any Provider, summary: inout RenormalizeSummary) throws {
        let entries = try store.quarantinedRecords(sourceID: sourceID)
        // Different records under one id (the reason most of them are here) name no session for sure.
        var recordsByID: [String: Int] = [:]
        for entry in entries {
            if let id = entry.externalID { recordsByID["\(entry.endpoint)\u{0}\(id)", default: 0] += 1 }
        }
        for entry in entries {
            summary.quarantineRetried += 1
            if let id = entry.externalID, recordsByID["\(entry.endpoint)\u{0}\(id)", default: 0] > 1 {
                summary.quarantineNotRetried += 1
                continue
            }
            switch provider.retry(entry) {
            case .archive(var batch):
                summary.add(batch.drift)
                // What a pass archived since is newer than the quarantined copy: the copy only goes.
                let superseded = try batch.sessions.allSatisfy {
                    try store.session(sourceID: sourceID, externalID: $0.externalID) != nil
                }
                if superseded && !batch.sessions.isEmpty {
                    batch = ArchiveBatch()
                }
                // Drift is reported, not counted again in `schema_drift`.
                batch.drift = []
                batch.releasedQuarantine = [entry.id]
                let stats = try store.commit(batch, sourceID: sourceID, now: now())
                summary.quarantineArchived += 1
                summary.rowsWritten += stats.rowsWritten
                summary.sessionsChanged += stats.sessionsInserted
            case .stillUnmappable:
                summary.quarantineStillUnmappable += 1
            case .notRetried:
                summary.quarantineNotRetried += 1
            }
        }
    }
}
