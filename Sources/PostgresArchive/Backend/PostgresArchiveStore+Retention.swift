import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    /// Whether the source should apply `retention` now (``RetentionState/isDue(_:retention:now:)``).
    func retentionDue(sourceID: Int64, retention: Duration, now: Timestamp) async throws -> Bool {
        let state = try await rows(
            """
            SELECT retention_seconds, \(PostgresTime.text("applied_at")), \(PostgresTime.text("cutoff")), sessions_deleted
            FROM retention_state WHERE source_id = $1
            """,
            [.int(sourceID)], as: (Int64, String, String, Int64).self
        ).first.map {
            RetentionState(retentionSeconds: $0, appliedAt: $1, cutoff: $2, sessionsDeleted: Int($3))
        }
        return RetentionState.isDue(state, retention: retention, now: now)
    }

    /// Up to `limit` sessions of the source after session id `after` whose last activity
    /// (`ended_at`, else `last_seen_at`) is before `cutoff`, in id order; read outside the
    /// transaction that deletes them, as in SQLite.
    func inactiveSessions(sourceID: Int64, before cutoff: Timestamp, after: Int64, limit: Int) async throws
        -> [PostgresSessionReference]
    {
        try await rows(
            """
            SELECT id, source_id, external_id FROM sessions
            WHERE source_id = $1 AND id > $2 AND coalesce(ended_at, last_seen_at) < $3::timestamptz
            ORDER BY id LIMIT $4
            """,
            [.int(sourceID), .int(after), .time(cutoff), .int(Int64(limit))], as: (Int64, Int64, String).self
        ).map { PostgresSessionReference(id: $0, sourceID: $1, externalID: $2) }
    }

    /// Deletes and tombstones those of `candidates` still inactive before `cutoff`, inside the
    /// caller's transaction (their rows locked first, so that a commit touching one waits).
    func removeInactive(_ candidates: [PostgresSessionReference], before cutoff: Timestamp, now: Timestamp)
        async throws -> (removed: TableCounts, tombstonesAdded: Int)
    {
        let still = try await rows(
            """
            SELECT id, source_id, external_id FROM sessions
            WHERE id = ANY($1::int8[]) AND coalesce(ended_at, last_seen_at) < $2::timestamptz ORDER BY id FOR UPDATE
            """,
            [.ints(candidates.map(\.id)), .time(cutoff)], as: (Int64, Int64, String).self
        ).map { PostgresSessionReference(id: $0, sourceID: $1, externalID: $2) }
        var removed = TableCounts()
        let tombstoned = try await removeSessions(still, reason: .retention, now: now, counts: &removed)
        return (removed, tombstoned)
    }

    /// Records that the source applied `retention` at `now`.
    func recordRetention(sourceID: Int64, retention: Duration, cutoff: Timestamp, sessionsDeleted: Int, now: Timestamp)
        async throws
    {
        try await run(
            """
            INSERT INTO retention_state (source_id, retention_seconds, applied_at, cutoff, sessions_deleted)
            VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5)
            ON CONFLICT (source_id) DO UPDATE SET retention_seconds = excluded.retention_seconds,
                applied_at = excluded.applied_at, cutoff = excluded.cutoff, sessions_deleted = excluded.sessions_deleted
            """,
            [
                .int(sourceID), .int(retention.components.seconds), .time(now), .time(cutoff),
                .int(Int64(sessionsDeleted)),
            ])
    }
}
