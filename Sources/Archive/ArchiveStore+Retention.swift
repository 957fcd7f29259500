import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    /// How often a source's retention window is applied at most.
    public static let retentionInterval: Duration = RetentionState.interval

    /// The source's last application of its retention window, if any.
    public func retentionState(sourceID: Int64) throws -> RetentionState? {
        let select = try connection.cachedStatement(
            "SELECT retention_seconds, applied_at, cutoff, sessions_deleted FROM retention_state WHERE source_id = ?")
        try select.bind(sourceID, at: 1)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return RetentionState(
            retentionSeconds: select.int64(at: 0), appliedAt: select.text(at: 1) ?? "",
            cutoff: select.text(at: 2) ?? "",
            sessionsDeleted: select.int(at: 3))
    }

    /// Whether the source should apply `retention` now: it never did, it did more than a day
    /// before `now`, or with another window.
    public func retentionDue(sourceID: Int64, retention: Duration, now: Timestamp) throws -> Bool {
        RetentionState.isDue(try retentionState(sourceID: sourceID), retention: retention, now: now)
    }

    /// Deletes, in one transaction, up to `limit` sessions of the source whose last activity
    /// (`ended_at`, else `last_seen_at`) is before `cutoff`, looking only at sessions with an id
    /// above `after`, with everything that belongs to them, and tombstones them.
    ///
    /// The sessions are found outside the transaction (a scan of the source's sessions in id
    /// order, without an index to maintain on every write) and checked again inside it.
    public func removeInactiveSessions(
        sourceID: Int64, before cutoff: Timestamp, after: Int64, limit: Int = RetentionChunk.sessionsPerChunk,
        now: Timestamp = .now()
    ) throws -> RetentionChunk {
        // `+source_id`: walk the rowid order from `after` instead of the source's index and a sort.
        let select = try connection.cachedStatement(
            """
            SELECT id, source_id, external_id FROM sessions
            WHERE id > ?2 AND +source_id = ?1 AND coalesce(ended_at, last_seen_at) < ?3
            ORDER BY id LIMIT ?4
            """
        )
        try select.bind(sourceID, at: 1)
        try select.bind(after, at: 2)
        try select.bind(cutoff.iso8601, at: 3)
        try select.bind(Int64(limit), at: 4)
        let candidates = try sessionReferences(select)
        guard let last = candidates.last else {
            return RetentionChunk(removed: TableCounts(), tombstonesAdded: 0, after: nil)
        }
        var removed = TableCounts()
        let tombstoned = try connection.transaction(.immediate) {
            let check = try connection.cachedStatement(
                """
                SELECT id, source_id, external_id FROM sessions
                WHERE id IN (SELECT value FROM json_each(?1)) AND coalesce(ended_at, last_seen_at) < ?2 ORDER BY id
                """
            )
            try check.bind(JSONOutput.array(candidates.map { .int($0.id) }).text, at: 1)
            try check.bind(cutoff.iso8601, at: 2)
            return try removeSessions(
                try sessionReferences(check), reason: .retention, now: now.iso8601, counts: &removed)
        }
        return RetentionChunk(
            removed: removed, tombstonesAdded: tombstoned, after: candidates.count < limit ? nil : last.id)
    }

    /// Records that the source applied `retention` at `now`.
    public func recordRetention(
        sourceID: Int64, retention: Duration, cutoff: Timestamp, sessionsDeleted: Int, now: Timestamp
    ) throws {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO retention_state (source_id, retention_seconds, applied_at, cutoff, sessions_deleted)
            VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (source_id) DO UPDATE SET retention_seconds = excluded.retention_seconds,
                applied_at = excluded.applied_at, cutoff = excluded.cutoff, sessions_deleted = excluded.sessions_deleted
            """
        )
        try upsert.bind(sourceID, at: 1)
        try upsert.bind(retention.components.seconds, at: 2)
        try upsert.bind(now.iso8601, at: 3)
        try upsert.bind(cutoff.iso8601, at: 4)
        try upsert.bind(Int64(sessionsDeleted), at: 5)
        try upsert.run()
    }

    /// Applies the source's retention window now, chunk after chunk, and records it; returns what
    /// was removed. (The daemon runs the chunks itself, letting other sources commit between them.)
    @discardableResult
    public func applyRetention(sourceID: Int64, retention: Duration, now: Timestamp = .now(), chunkSize: Int = 500)
        throws -> TableCounts
    {
        let cutoff = now.subtracting(retention)
        var removed = TableCounts()
        var after: Int64? = 0
        while let start = after {
            let chunk = try removeInactiveSessions(
                sourceID: sourceID, before: cutoff, after: start, limit: chunkSize, now: now)
            removed += chunk.removed
            after = chunk.after
        }
        try recordRetention(
            sourceID: sourceID, retention: retention, cutoff: cutoff, sessionsDeleted: removed["sessions"], now: now)
        return removed
    }

    /// The last activity (`ended_at`, else `last_seen_at`) of the source's least recently active
    /// session: the oldest session that retention kept.
    public func oldestActivity(sourceID: Int64) throws -> String? {
        try connection.scalarText(
            "SELECT min(coalesce(ended_at, last_seen_at)) FROM sessions WHERE source_id = ?", .integer(sourceID))
    }
}
