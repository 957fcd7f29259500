import Archive
import SessionSyncSupport

/// The PostgreSQL archive as an ``ArchiveBackend``: each call is one unit of work of a
/// ``PostgresArchiveStore``, a write in one transaction.
extension PostgresArchiveDatabase: ArchiveBackend {
    public var location: String {
        server.description
    }

    public var sourceLeasePeriod: Duration? {
        leasePeriod
    }

    public func ensureSources(_ sources: [(name: String, provider: String)], now: Timestamp) async throws {
        // Each source on its own, as in SQLite: a mismatch keeps the sources registered before it.
        try await withStore("register the sources", transaction: false) { store in
            for (name, provider) in sources {
                _ = try await store.ensureSource(name: name, provider: provider, now: now)
            }
        }
    }

    public func source(named name: String) async throws -> SourceRow? {
        try await withStore("read a source", transaction: false) { store in try await store.source(named: name) }
    }

    public func openRun(source: String, provider: String, pid: Int, isAlive: @Sendable (Int) -> Bool) async throws
        -> OpenedRun
    {
        let (opened, lease) = try await withStore("open a run of source \(source)") { store in
            try await store.openRun(
                source: source, provider: provider, pid: pid, isAlive: isAlive, now: .now(), holder: holder,
                leasePeriod: leasePeriod)
        }
        // Held only once the transaction that took it committed: from then on, commits are fenced by it.
        if let lease { caches.hold(lease) }
        return opened
    }

    public func heartbeat(runID: Int64, progress: RunProgress, now: Timestamp) async throws {
        try await withStore("record a run's heartbeat") { store in
            try await store.heartbeat(runID: runID, progress: progress, now: now)
            // A renewal that fails (another instance took the source) changes nothing here: the
            // next commit of this run is refused by the fencing check.
            if let sourceID = try await store.sourceOfRun(runID), let lease = caches.lease(of: sourceID) {
                _ = try await SourceLeases.renew(lease, period: leasePeriod, on: store.connection, logger: logger)
            }
        }
    }

    public func finishRun(runID: Int64, status: RunStatus, progress: RunProgress, error: String?, now: Timestamp)
        async throws
    {
        // A pass that was asked to stop still records how it ended (SQLite's write does not look
        // at cancellation): the pool and postgres-nio give up on a cancelled task's queries, so
        // the record is written from a task of its own, which the caller awaits.
        let sourceID = try await Task { [self] in
            try await withStore("record the end of a run") { store in
                try await store.finishRun(runID: runID, status: status, progress: progress, error: error, now: now)
                guard let sourceID = try await store.sourceOfRun(runID), let lease = caches.lease(of: sourceID) else {
                    return Int64?.none
                }
                // Between passes the source is free: the next instance whose schedule comes takes it.
                try await SourceLeases.release(lease, on: store.connection, logger: logger)
                return sourceID
            }
        }.value
        if let sourceID { caches.forgetLease(of: sourceID) }
    }

    public func interruptAbandonedRuns(now: Timestamp, isAlive: @Sendable (Int) -> Bool, ownPID: Int) async throws
        -> Int
    {
        try await withStore("mark abandoned runs interrupted") { store in
            try await store.interruptAbandonedRuns(now: now, isAlive: isAlive, ownPID: ownPID, holder: holder)
        }
    }

    public func lastRunStart(source: String) async throws -> Timestamp? {
        try await withStore("read the last run", transaction: false) { store in
            guard let row = try await store.source(named: source), let run = try await store.lastRun(sourceID: row.id)
            else { return nil }
            if run.status == .running, try await store.leaseLapsed(sourceID: row.id, apartFrom: holder) {
                return nil
            }
            return Timestamp(iso8601: run.startedAt)
        }
    }

    public func ledger(sources: [String], queueCounts: Bool) async throws -> [String: SourceLedger] {
        try await withStore("read the run ledger", transaction: false) { store in
            var ledgers: [String: SourceLedger] = [:]
            for row in try await store.allSources() where sources.contains(row.name) {
                ledgers[row.name] = SourceLedger(
                    lastRun: try await store.lastRun(sourceID: row.id),
                    lastSuccess: try await store.lastSuccessfulRun(sourceID: row.id),
                    queue: queueCounts ? try await store.queueCounts(sourceID: row.id) : [])
            }
            return ledgers
        }
    }

    /// The database's size. There is no WAL of sessionsync's to report: PostgreSQL writes and
    /// checkpoints its own, for the whole server, so `walBytes` stays 0 and `checkpointFailures`
    /// empty (SQLite's `wal_checkpoint_failures` has no table here).
    public func vitals() async throws -> ArchiveVitals {
        try await withStore("read the database's size", transaction: false) { store in
            var vitals = ArchiveVitals()
            vitals.databaseBytes = try await store.databaseBytes()
            return vitals
        }
    }

    /// A round trip to the server on a leased connection.
    public func ping() async throws {
        try await withStore("reach the server", transaction: false) { store in _ = try await store.run("SELECT 1") }
    }

    public func commit(_ batch: ArchiveBatch, sourceID: Int64, now: Timestamp) async throws -> WriteStats {
        let clock = ContinuousClock()
        let started = clock.now
        var stats = try await withFencedStore("commit a batch", sourceID: sourceID) { store in
            try await store.commit(batch, sourceID: sourceID, now: now)
        }
        // From the lease of a connection to the end of COMMIT: how long the batch held its locks.
        let held = clock.now - started
        stats.maxCommitMilliseconds =
            Double(held.components.seconds) * 1000 + Double(held.components.attoseconds) / 1e15
        return stats
    }

    public func cursor(sourceID: Int64, stream: String) async throws -> String? {
        try await withStore("read a cursor", transaction: false) { store in
            try await store.cursor(sourceID: sourceID, stream: stream)
        }
    }

    public func dueQueueItems(
        sourceID: Int64, kind: String, now: Timestamp, limit: Int, notAttemptedSince: Timestamp?
    ) async throws -> [QueueItem] {
        // Items past their deadline are given up first: a write, so fenced like a commit.
        try await withFencedStore("read the due queue items", sourceID: sourceID) { store in
            try await store.dueQueueItems(
                sourceID: sourceID, kind: kind, now: now, limit: limit, notAttemptedSince: notAttemptedSince)
        }
    }

    public func queueStates(sourceID: Int64, kind: String, externalIDs: [String]) async throws
        -> [String: QueueState]
    {
        try await withStore("read queue items", transaction: false) { store in
            try await store.queueStates(sourceID: sourceID, kind: kind, externalIDs: externalIDs)
        }
    }

    public func tombstoned(sourceID: Int64, externalIDs: [String]) async throws -> Set<String> {
        try await withStore("read the tombstones", transaction: false) { store in
            guard try await store.tombstonesActive() else { return [] }
            return try await store.tombstoned(sourceID: sourceID, externalIDs: externalIDs)
        }
    }

    public func drainDetailRequests(sourceName: String, sourceID: Int64, kind: String, now: Timestamp) async throws
        -> Int
    {
        try await withFencedStore("move detail requests into the fetch queue", sourceID: sourceID) { store in
            try await store.drainDetailRequests(sourceName: sourceName, sourceID: sourceID, kind: kind, now: now)
        }
    }

    public func sessions(sourceID: Int64, status: String, limit: Int, notSeenSince: Timestamp?) async throws
        -> [ArchivedSession]
    {
        try await withStore("read sessions", transaction: false) { store in
            try await store.sessions(sourceID: sourceID, status: status, limit: limit, notSeenSince: notSeenSince)
        }
    }

    public func session(sourceID: Int64, externalID: String) async throws -> ArchivedSession? {
        try await withStore("read a session", transaction: false) { store in
            try await store.session(sourceID: sourceID, externalID: externalID)
        }
    }

    public func retentionDue(sourceID: Int64, retention: Duration, now: Timestamp) async throws -> Bool {
        try await withStore("read the retention state", transaction: false) { store in
            try await store.retentionDue(sourceID: sourceID, retention: retention, now: now)
        }
    }

    /// One chunk of a retention pass (``RetentionChunk/sessionsPerChunk`` sessions): found outside
    /// a transaction, then deleted and tombstoned in one, as in SQLite.
    public func removeInactiveSessions(sourceID: Int64, before cutoff: Timestamp, after: Int64, now: Timestamp)
        async throws -> RetentionChunk
    {
        let limit = RetentionChunk.sessionsPerChunk
        let candidates = try await withStore("find inactive sessions", transaction: false) { store in
            try await store.inactiveSessions(sourceID: sourceID, before: cutoff, after: after, limit: limit)
        }
        guard let last = candidates.last else {
            return RetentionChunk(removed: TableCounts(), tombstonesAdded: 0, after: nil)
        }
        let (removed, tombstoned) = try await withFencedStore("remove inactive sessions", sourceID: sourceID) { store in
            try await store.removeInactive(candidates, before: cutoff, now: now)
        }
        return RetentionChunk(
            removed: removed, tombstonesAdded: tombstoned, after: candidates.count < limit ? nil : last.id)
    }

    public func recordRetention(
        sourceID: Int64, retention: Duration, cutoff: Timestamp, sessionsDeleted: Int, now: Timestamp
    ) async throws {
        try await withFencedStore("record a retention pass", sourceID: sourceID) { store in
            try await store.recordRetention(
                sourceID: sourceID, retention: retention, cutoff: cutoff, sessionsDeleted: sessionsDeleted, now: now)
        }
    }

    /// ``withStore(_:transaction:_:)`` for a write of a source's pass, in one transaction that
    /// first checks this instance still holds the source's lease, when it took one (the fencing
    /// token): an instance that paused or was cut off past its lease, and whose source another
    /// instance took over meanwhile, writes nothing, whatever it was about to write.
    func withFencedStore<T: Sendable>(
        _ operation: String, sourceID: Int64, _ body: (PostgresArchiveStore) async throws -> T
    ) async throws -> T {
        let lease = caches.lease(of: sourceID)
        return try await withStore(operation) { store in
            if let lease { try await SourceLeases.checkHeld(lease, on: store.connection, logger: logger) }
            return try await body(store)
        }
    }

    /// Runs `body` with the archive's reads for `status`, each statement on its own.
    public func withStatusReading<T: Sendable>(_ body: (any StatusReading) async throws -> T) async throws -> T {
        try await withStore("read the status", transaction: false) { store in try await body(store) }
    }
}
