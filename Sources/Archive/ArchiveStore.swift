import SQLiteDB
import SessionSyncSupport

/// The archive's SQL, on one connection: sources, session upserts with their child sets,
/// cursors, the fetch queue and the run ledger. Not `Sendable`; ``ArchiveDatabase`` confines it
/// to an actor. Every write that belongs together goes through ``commit(_:sourceID:now:)``.
public final class ArchiveStore {
    let connection: Connection
    let sessionUpsert = SessionUpsert()
    let childSetWriter = ChildSetWriter()
    lazy var renormalizeWriter = RenormalizeWriter(childSetWriter: childSetWriter)
    let tombstones = TombstoneFilter()
    var checkpoints: CheckpointPolicy

    /// Opens the archive at `path` and migrates it to the newest schema. With
    /// `backgroundCheckpoints`, most WAL checkpoints run on a second connection and thread of
    /// their own (``CheckpointPolicy``).
    ///
    /// `onCheckpointFailure` hears of every WAL checkpoint SQLite refuses (on whatever thread ran
    /// it); the store also records them in `wal_checkpoint_failures` between transactions.
    public init(
        path: String, options: Connection.Options = Connection.Options(), backgroundCheckpoints: Bool = false,
        onCheckpointFailure: @escaping @Sendable (CheckpointFailure) -> Void = { _ in }
    ) throws {
        connection = try Connection(path: path, options: options)
        try ArchiveMigrations.migrator().migrate(connection, now: { Timestamp.now().iso8601 })
        try connection.execute("PRAGMA wal_autocheckpoint = 0")
        let failures = CheckpointFailureLog(report: onCheckpointFailure)
        checkpoints = CheckpointPolicy(
            checkpointer: backgroundCheckpoints ? try WALCheckpointer(path: path, failures: failures) : nil,
            failures: failures
        )
    }

    /// Commits `batch` for the source in one transaction and says what it changed.
    public func commit(_ batch: ArchiveBatch, sourceID: Int64, now: Timestamp) throws -> WriteStats {
        let nowText = now.iso8601
        let passStartedAt = (batch.passStartedAt ?? now).iso8601
        let clock = ContinuousClock()
        let started = clock.now
        var stats = try connection.transaction(.immediate) {
            var stats = WriteStats()
            // Erased and expired sessions are never written again; while there are none, this is
            // the only cost of the check (see ``TombstoneFilter``).
            let checkTombstones = try tombstones.isActive(on: connection)
            func tombstoned(_ externalID: String) throws -> Bool {
                try checkTombstones && tombstones.contains(sourceID: sourceID, externalID: externalID, on: connection)
            }
            for record in batch.sessions {
                if try tombstoned(record.externalID) {
                    stats.sessionsTombstoned += 1
                    continue
                }
                try write(record, sourceID: sourceID, now: nowText, passStartedAt: passStartedAt, stats: &stats)
            }
            for children in batch.sessionChildren {
                if try tombstoned(children.externalID) {
                    stats.childSetsTombstoned += children.children.count
                    continue
                }
                try write(children, sourceID: sourceID, now: nowText, stats: &stats)
            }
            if let presence = batch.presence {
                try applyPresence(presence, sourceID: sourceID, now: nowText, stats: &stats)
            }
            for request in batch.enqueue {
                if try tombstoned(request.externalID) { continue }
                stats.rowsWritten += try enqueue(request, sourceID: sourceID, now: nowText)
            }
            for request in batch.fulfilled {
                if try tombstoned(request.externalID) { continue }
                stats.rowsWritten += try fulfill(request, sourceID: sourceID, now: now)
            }
            for completion in batch.completions {
                stats.rowsWritten += try complete(completion, sourceID: sourceID, now: now)
            }
            for cursor in batch.cursors {
                try setCursor(cursor, sourceID: sourceID, now: nowText)
            }
            for drift in batch.drift {
                try recordDrift(drift, sourceID: sourceID, now: nowText)
            }
            for record in batch.quarantined {
                try quarantine(record, sourceID: sourceID, now: nowText)
            }
            stats.rowsWritten += try release(quarantined: batch.releasedQuarantine, sourceID: sourceID)
            return stats
        }
        let held = clock.now - started
        stats.maxCommitMilliseconds =
            Double(held.components.seconds) * 1000 + Double(held.components.attoseconds) / 1e15
        checkpoints.committed(on: connection)
        recordCheckpointFailures()
        return stats
    }

    /// Writes the checkpoint failures heard of since the last commit, one row per kind. When that
    /// write fails too (a full disk), those rows miss the failures; the log and the metrics have them.
    private func recordCheckpointFailures() {
        let failures = checkpoints.failures.takeUnrecorded()
        guard !failures.isEmpty else { return }
        do {
            let upsert = try connection.cachedStatement(
                """
                INSERT INTO wal_checkpoint_failures (kind, count, last_message, first_seen_at, last_seen_at)
                VALUES (?1, 1, ?2, ?3, ?3)
                ON CONFLICT (kind) DO UPDATE SET
                    count = count + 1, last_message = excluded.last_message, last_seen_at = excluded.last_seen_at
                """
            )
            for failure in failures {
                try upsert.bind(failure.kind, at: 1)
                try upsert.bind(StoredErrorText.capped(failure.message), at: 2)
                try upsert.bind(failure.at.iso8601, at: 3)
                try upsert.run()
            }
        } catch {
            // Nothing to do about it here; the next checkpoint failure, if any, tries again.
        }
    }

    /// The background checkpointer, when there is one.
    var checkpointer: WALCheckpointer? {
        checkpoints.checkpointer
    }

    /// Copies the WAL back into the database now (see ``CheckpointPolicy``).
    public func checkpoint() {
        checkpoints.checkpoint(connection)
    }

    private func write(
        _ record: SessionRecord, sourceID: Int64, now: String, passStartedAt: String, stats: inout WriteStats
    ) throws {
        let result = try sessionUpsert.upsert(
            record, sourceID: sourceID, now: now, passStartedAt: passStartedAt, connection: connection)
        // Fingerprints are cleared whenever `children` changes, so they match them when present.
        let childRows = try childSetWriter.write(
            record.children, fingerprints: record.childFingerprints, sessionID: result.id,
            isNewSession: result.outcome == .inserted,
            connection: connection
        )
        var outcome = result.outcome
        if childRows > 0 && outcome == .unchanged {
            // A changed child set is a change of the session.
            try touch(sessionID: result.id, now: now)
            outcome = .changed
        }
        stats.countSession(outcome, childRows: childRows, newInThisPass: result.newInThisPass)
    }

    private func write(_ children: SessionChildren, sourceID: Int64, now: String, stats: inout WriteStats) throws {
        let select = try connection.cachedStatement("SELECT id FROM sessions WHERE source_id = ? AND external_id = ?")
        try select.bind(sourceID, at: 1)
        try select.bind(children.externalID, at: 2)
        defer { select.reset() }
        guard try select.step() else {
            stats.childSetsDropped += children.children.count
            return
        }
        let sessionID = select.int64(at: 0)
        let rows = try childSetWriter.write(
            children.children, fingerprints: children.fingerprints, sessionID: sessionID, isNewSession: false,
            connection: connection
        )
        guard rows > 0 else { return }
        try touch(sessionID: sessionID, now: now)
        stats.rowsWritten += rows
    }

    /// Marks a session changed because one of its child sets changed.
    private func touch(sessionID: Int64, now: String) throws {
        let touch = try connection.cachedStatement("UPDATE sessions SET updated_at = ? WHERE id = ?")
        try touch.bind(now, at: 1)
        try touch.bind(sessionID, at: 2)
        try touch.run()
    }

    private func applyPresence(_ presence: PresenceSnapshot, sourceID: Int64, now: String, stats: inout WriteStats)
        throws
    {
        let seen = JSONOutput.array(presence.seenExternalIDs.sorted().map(JSONOutput.string)).text
        let absent = try connection.cachedStatement(
            """
            UPDATE sessions SET absent_listings = absent_listings + 1
            WHERE source_id = ?1 AND status = ?2 AND external_id NOT IN (SELECT value FROM json_each(?3))
            """
        )
        try absent.bind(sourceID, at: 1)
        try absent.bind(presence.liveStatus, at: 2)
        try absent.bind(seen, at: 3)
        try absent.run()
        let end = try connection.cachedStatement(
            """
            UPDATE sessions SET
                status = ?3,
                ended_at = last_seen_at,
                duration_seconds = CASE WHEN started_at IS NOT NULL
                    THEN round((julianday(last_seen_at) - julianday(started_at)) * 86400.0, 3) END,
                updated_at = ?4
            WHERE source_id = ?1 AND status = ?2 AND absent_listings >= ?5
            """
        )
        try end.bind(sourceID, at: 1)
        try end.bind(presence.liveStatus, at: 2)
        try end.bind(presence.endedStatus, at: 3)
        try end.bind(now, at: 4)
        try end.bind(Int64(presence.absencesToEnd), at: 5)
        try end.run()
        stats.sessionsEnded += connection.changes
        stats.rowsWritten += connection.changes
    }
}

@available(*, unavailable)
extension ArchiveStore: Sendable {}
