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
        // earlier counts, and one that comes later deletes what this commit wrote.
        let checkTombstones = try await tombstonesActive()
        func tombstoned(_ externalID: String) async throws -> Bool {
            guard checkTombstones else { return false }
            return try await !self.tombstoned(sourceID: sourceID, externalIDs: [externalID]).isEmpty
        }
        for record in batch.sessions {
            if try await tombstoned(record.externalID) {
                stats.sessionsTombstoned += 1
                continue
            }
            try await write(record, sourceID: sourceID, now: now, passStartedAt: passStartedAt, stats: &stats)
        }
        for children in batch.sessionChildren {
            if try await tombstoned(children.externalID) {
                stats.childSetsTombstoned += children.children.count
                continue
            }
            try await write(children, sourceID: sourceID, now: now, stats: &stats)
        }
        if let presence = batch.presence {
            try await applyPresence(presence, sourceID: sourceID, now: now, stats: &stats)
        }
        for request in batch.enqueue {
            if try await tombstoned(request.externalID) { continue }
            stats.rowsWritten += try await enqueue(request, sourceID: sourceID, now: now)
        }
        for request in batch.fulfilled {
            if try await tombstoned(request.externalID) { continue }
            stats.rowsWritten += try await fulfill(request, sourceID: sourceID, now: now)
        }
        for completion in batch.completions {
            stats.rowsWritten += try await complete(completion, sourceID: sourceID, now: now)
        }
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

    /// Child sets onto an archived session, without touching its columns; dropped (and counted)
    /// when the session is not archived.
    private func write(_ children: SessionChildren, sourceID: Int64, now: Timestamp, stats: inout WriteStats)
        async throws
    {
        guard
            let sessionID = try await column(
                "SELECT id FROM sessions WHERE source_id = $1 AND external_id = $2",
                [.int(sourceID), .text(children.externalID)], as: Int64.self
            ).first
        else {
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
