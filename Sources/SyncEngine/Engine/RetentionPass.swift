import Archive
import Logging
import SessionSyncSupport

/// A source's `retention` window, applied at the end of a pass (in `run` and `sync` alike) when
/// it is due: never applied yet, applied more than a day ago, or with another window.
enum RetentionPass {
    /// Deletes the source's sessions whose last activity (`ended_at`, else `last_seen_at`) is
    /// older than its window, with all their rows and queue items, and tombstones them: 500 at a
    /// time, each chunk a short transaction of its own on the archive's writer, so that other
    /// sources' commits go between them. Returns the sessions deleted (nil when nothing was due).
    static func applyIfDue(source: SourceConfiguration, sourceID: Int64, archive: any ArchiveBackend, logger: Logger)
        async throws -> Int?
    {
        guard let retention = source.retention else { return nil }
        let now = Timestamp.now()
        let due = try await archive.retentionDue(sourceID: sourceID, retention: retention, now: now)
        guard due else { return nil }
        let cutoff = now.subtracting(retention)
        var removed = TableCounts()
        var after: Int64? = 0
        while let start = after {
            // A stop request ends it between two chunks; the next pass starts it over.
            try Task.checkCancellation()
            let chunk = try await archive.removeInactiveSessions(
                sourceID: sourceID, before: cutoff, after: start, now: now)
            removed += chunk.removed
            after = chunk.after
        }
        let deleted = removed["sessions"]
        try await archive.recordRetention(
            sourceID: sourceID, retention: retention, cutoff: cutoff, sessionsDeleted: deleted, now: now)
        logger.info(
            "retention applied",
            metadata: [
                "retention": "\(DurationText.format(retention))", "retention.cutoff": "\(cutoff.iso8601)",
                "sessions.deleted": "\(deleted)", "rows.deleted": "\(removed.total)",
            ])
        return deleted
    }
}
