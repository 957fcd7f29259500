import SessionSyncSupport

/// The SQLite archive as an ``ArchiveBackend``: each call is one body on the writer's thread.
extension ArchiveDatabase: ArchiveBackend {
    public nonisolated var location: String { path }

    /// One process writes a SQLite archive at a time: no lease to share it by.
    public nonisolated var sourceLeasePeriod: Duration? { nil }

    public func ensureSources(_ sources: [(name: String, provider: String)], now: Timestamp) throws {
        try withStore { store in
            for (name, provider) in sources { _ = try store.ensureSource(name: name, provider: provider, now: now) }
        }
    }

    public func source(named name: String) throws -> SourceRow? {
        try withStore { store in try store.source(named: name) }
    }

    public func openRun(source: String, provider: String, pid: Int, isAlive: @Sendable (Int) -> Bool) throws
        -> OpenedRun
    {
        try withStore { store in
            let row = try store.ensureSource(name: source, provider: provider, now: .now())
            let start = try store.runStart(sourceID: row.id, now: .now())
            let run = try store.startRun(sourceID: row.id, pid: pid, now: start, isAlive: isAlive)
            return OpenedRun(sourceID: row.id, runID: run, startedAt: start)
        }
    }

    public func heartbeat(runID: Int64, progress: RunProgress, now: Timestamp) throws {
        try withStore { store in try store.heartbeat(runID: runID, progress: progress, now: now) }
    }

    public func finishRun(runID: Int64, status: RunStatus, progress: RunProgress, error: String?, now: Timestamp)
        throws
    {
        try withStore { store in
            try store.finishRun(runID: runID, status: status, progress: progress, error: error, now: now)
        }
    }

    public func interruptAbandonedRuns(now: Timestamp, isAlive: @Sendable (Int) -> Bool, ownPID: Int) throws -> Int {
        try withStore { store in try store.interruptAbandonedRuns(now: now, isAlive: isAlive, ownPID: ownPID) }
    }

    public func lastRunStart(source: String) throws -> Timestamp? {
        try withStore { store in
            guard let row = try store.source(named: source), let run = try store.lastRun(sourceID: row.id) else {
                return nil
            }
            return Timestamp(iso8601: run.startedAt)
        }
    }

    public func ledger(sources: [String], queueCounts: Bool) throws -> [String: SourceLedger] {
        try withStore { store in
            var ledgers: [String: SourceLedger] = [:]
            for row in try store.allSources() where sources.contains(row.name) {
                ledgers[row.name] = SourceLedger(
                    lastRun: try store.lastRun(sourceID: row.id),
                    lastSuccess: try store.lastSuccessfulRun(sourceID: row.id),
                    queue: queueCounts ? try store.queueCounts(sourceID: row.id) : [])
            }
            return ledgers
        }
    }

    public func vitals() throws -> ArchiveVitals {
        try withStore { store in try store.vitals() }
    }

    public func ping() {}

    public func cursor(sourceID: Int64, stream: String) throws -> String? {
        try withStore { store in try store.cursor(sourceID: sourceID, stream: stream) }
    }

    public func dueQueueItems(
        sourceID: Int64, kind: String, now: Timestamp, limit: Int, notAttemptedSince: Timestamp?
    ) throws -> [QueueItem] {
        try withStore { store in
            try store.dueQueueItems(
                sourceID: sourceID, kind: kind, now: now, limit: limit, notAttemptedSince: notAttemptedSince)
        }
    }

    public func queueStates(sourceID: Int64, kind: String, externalIDs: [String]) throws -> [String: QueueState] {
        try withStore { store in try store.queueStates(sourceID: sourceID, kind: kind, externalIDs: externalIDs) }
    }

    public func tombstoned(sourceID: Int64, externalIDs: [String]) throws -> Set<String> {
        try withStore { store in try store.tombstoned(sourceID: sourceID, externalIDs: externalIDs) }
    }

    public func drainDetailRequests(sourceName: String, sourceID: Int64, kind: String, now: Timestamp) throws -> Int {
        try withStore { store in
            try store.drainDetailRequests(sourceName: sourceName, sourceID: sourceID, kind: kind, now: now)
        }
    }

    public func sessions(sourceID: Int64, status: String, limit: Int, notSeenSince: Timestamp?) throws
        -> [ArchivedSession]
    {
        try withStore { store in
            try store.sessions(sourceID: sourceID, status: status, limit: limit, notSeenSince: notSeenSince)
        }
    }

    public func session(sourceID: Int64, externalID: String) throws -> ArchivedSession? {
        try withStore { store in try store.session(sourceID: sourceID, externalID: externalID) }
    }

    public func retentionDue(sourceID: Int64, retention: Duration, now: Timestamp) throws -> Bool {
        try withStore { store in try store.retentionDue(sourceID: sourceID, retention: retention, now: now) }
    }

    public func removeInactiveSessions(sourceID: Int64, before cutoff: Timestamp, after: Int64, now: Timestamp)
        throws -> RetentionChunk
    {
        try withStore { store in
            try store.removeInactiveSessions(sourceID: sourceID, before: cutoff, after: after, now: now)
        }
    }

    public func recordRetention(
        sourceID: Int64, retention: Duration, cutoff: Timestamp, sessionsDeleted: Int, now: Timestamp
    ) throws {
        try withStore { store in
            try store.recordRetention(
                sourceID: sourceID, retention: retention, cutoff: cutoff, sessionsDeleted: sessionsDeleted, now: now)
        }
    }
}
