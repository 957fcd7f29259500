import Archive
import SessionSyncSupport

/// A batch's commit, as ``ArchiveStore/commit(_:sourceID:now:)`` writes it in SQLite, in the same
/// order and with the same counts, inside the caller's transaction.
extension PostgresArchiveStore {
    func commit(_ batch: ArchiveBatch, sourceID: Int64, now: Timestamp) async throws -> WriteStats {
        let passStartedAt = batch.passStartedAt ?? now
        var stats = WriteStats()
        // Erased and expired sessions are never written again; while there are none, this is the
        // only cost of the check. Read inside the transaction: an erasure committed a moment
        // earlier counts, and one that comes later deletes what this commit wrote. The batch's ids
        // are looked up at once: nothing in a commit adds a tombstone.
        let dropped = try await tombstonesActive() ? try await tombstoned(sourceID: sourceID, in: batch) : []
        for record in batch.sessions {
            if dropped.contains(record.externalID) {
                stats.sessionsTombstoned += 1
                continue
            }
            try await write(record, sourceID: sourceID, now: now, passStartedAt: passStartedAt, stats: &stats)
        }
        let children = batch.sessionChildren.filter { !dropped.contains($0.externalID) }
        for tombstoned in batch.sessionChildren where dropped.contains(tombstoned.externalID) {
            stats.childSetsTombstoned += tombstoned.children.count
        }
        // Read after the sessions above are written, which may archive the ones these sets are for.
        let sessionIDs = try await sessionIDs(sourceID: sourceID, externalIDs: children.map(\.externalID))
        for children in children {
            let sessionID = sessionIDs[PostgresStoredText.text(children.externalID)]
            try await write(children, sessionID: sessionID, now: now, stats: &stats)
        }
        if let presence = batch.presence {
            try await applyPresence(presence, sourceID: sourceID, now: now, stats: &stats)
        }
        stats.rowsWritten += try await enqueue(
            batch.enqueue.filter { !dropped.contains($0.externalID) }, sourceID: sourceID, now: now)
        stats.rowsWritten += try await fulfill(
            batch.fulfilled.filter { !dropped.contains($0.externalID) }, sourceID: sourceID, now: now)
        stats.rowsWritten += try await complete(batch.completions, sourceID: sourceID, now: now)
        for cursor in batch.cursors {
            try await setCursor(cursor, sourceID: sourceID, now: now)
        }
        for drift in batch.drift {
            try await recordDrift(drift, sourceID: sourceID, now: now)
        }
        for record in batch.quarantined {
            try await quarantine(record, sourceID: sourceID, now: now)
        }
        stats.rowsWritten += try await release(quarantined: batch.releasedQuarantine, sourceID: sourceID)
        return stats
    }

    private func write(
        _ record: SessionRecord, sourceID: Int64, now: Timestamp, passStartedAt: Timestamp, stats: inout WriteStats
    ) async throws {
        let result = try await upsert(record, sourceID: sourceID, now: now, passStartedAt: passStartedAt)
        // Fingerprints are cleared whenever `children` changes, so they match them when present.
        let childRows = try await writeChildSets(
            record.children, fingerprints: record.childFingerprints, sessionID: result.id,
            isNewSession: result.outcome == .inserted)
        var outcome = result.outcome
        if childRows > 0 && outcome == .unchanged {
            // A changed child set is a change of the session.
            try await touch(sessionID: result.id, now: now)
            outcome = .changed
        }
        stats.countSession(outcome, childRows: childRows, newInThisPass: result.newInThisPass)
    }

    /// Those of the batch's sessions, child sets and queue requests that are tombstoned, by
    /// external id (call it once ``tombstonesActive()`` said yes).
    private func tombstoned(sourceID: Int64, in batch: ArchiveBatch) async throws -> Set<String> {
        var externalIDs = Set(batch.sessions.map(\.externalID))
        externalIDs.formUnion(batch.sessionChildren.map(\.externalID))
        externalIDs.formUnion(batch.enqueue.map(\.externalID))
        externalIDs.formUnion(batch.fulfilled.map(\.externalID))
        return try await tombstoned(sourceID: sourceID, externalIDs: Array(externalIDs))
    }

    /// The ids of those of `externalIDs` that are archived sessions of the source, by external id
    /// as stored (``PostgresStoredText``).
    private func sessionIDs(sourceID: Int64, externalIDs: [String]) async throws -> [String: Int64] {
        guard !externalIDs.isEmpty else { return [:] }
        var ids: [String: Int64] = [:]
        for (externalID, id) in try await rows(
            "SELECT external_id, id FROM sessions WHERE source_id = $1 AND external_id = ANY($2::text[])",
            [.int(sourceID), .texts(Array(Set(externalIDs)))], as: (String, Int64).self)
        {
            ids[externalID] = id
        }
        return ids
    }

    /// Child sets onto an archived session (`sessionID`), without touching its columns; dropped
    /// (and counted) when the session is not archived.
    private func write(_ children: SessionChildren, sessionID: Int64?, now: Timestamp, stats: inout WriteStats)
        async throws
    {
        guard let sessionID else {
            stats.childSetsDropped += children.children.count
            return
        }
        let rows = try await writeChildSets(
            children.children, fingerprints: children.fingerprints, sessionID: sessionID, isNewSession: false)
        guard rows > 0 else { return }
        try await touch(sessionID: sessionID, now: now)
        stats.rowsWritten += rows
    }

    /// Marks a session changed because one of its child sets changed.
    private func touch(sessionID: Int64, now: Timestamp) async throws {
        try await run("UPDATE sessions SET updated_at = $2::timestamptz WHERE id = $1", [.int(sessionID), .time(now)])
    }

    /// The end of a complete, trusted presence listing (``PresenceSnapshot``): one more absence
    /// for every live session it did not list, and `ended` for those absent long enough, with
    /// `ended_at` the last time seen and the duration from the two instants, in seconds rounded
    /// to the millisecond as SQLite's `julianday` arithmetic gives it.
    private func applyPresence(_ presence: PresenceSnapshot, sourceID: Int64, now: Timestamp, stats: inout WriteStats)
        async throws
    {
        try await run(
            """
            UPDATE sessions SET absent_listings = absent_listings + 1
            WHERE source_id = $1 AND status = $2 AND external_id <> ALL($3::text[])
            """,
            [.int(sourceID), .text(presence.liveStatus), .texts(presence.seenExternalIDs.sorted())])
        let ended = try await count(
            """
            UPDATE sessions SET
                status = $3,
                ended_at = last_seen_at,
                duration_seconds = CASE WHEN started_at IS NOT NULL
                    THEN round((extract(epoch FROM last_seen_at) - extract(epoch FROM started_at))::numeric, 3)::float8
                    END,
                updated_at = $4::timestamptz
            WHERE source_id = $1 AND status = $2 AND absent_listings >= $5
            RETURNING 1
            """,
            [
                .int(sourceID), .text(presence.liveStatus), .text(presence.endedStatus), .time(now),
                .int(Int64(presence.absencesToEnd)),
            ])
        stats.sessionsEnded += ended
        stats.rowsWritten += ended
    }
}
