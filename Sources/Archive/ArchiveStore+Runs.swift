import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    private static let runColumns =
        "id, source_id, started_at, finished_at, status, requests, sessions_upserted, rows_written, error, warnings, pid, heartbeat_at"

    /// Starts a run for the source, unless another live process is running one (then nil).
    ///
    /// The check and the insert share a write transaction, so two processes cannot both start.
    public func startRun(sourceID: Int64, pid: Int, now: Timestamp, isAlive: (Int) -> Bool) throws -> Int64? {
        try connection.transaction(.immediate) {
            for run in try runningRuns(sourceID: sourceID) {
                if let owner = run.pid, owner != pid, isAlive(owner) {
                    return nil
                }
                try markInterrupted(runID: run.id, now: now, error: RunRecord.abandonedError(pid: run.pid))
            }
            let insert = try connection.cachedStatement(
                """
                INSERT INTO sync_runs (source_id, started_at, status, pid, heartbeat_at)
                VALUES (?, ?, 'running', ?, ?)
                """
            )
            try insert.bind(sourceID, at: 1)
            try insert.bind(now.iso8601, at: 2)
            try insert.bind(Int64(pid), at: 3)
            try insert.bind(now.iso8601, at: 4)
            try insert.run()
            return connection.lastInsertedRowID
        }
    }

    /// When a new run of the source may say it started (``OpenedRun/start(now:previousEnd:)``).
    public func runStart(sourceID: Int64, now: Timestamp) throws -> Timestamp {
        let select = try connection.cachedStatement(
            "SELECT max(coalesce(finished_at, heartbeat_at, started_at)) FROM sync_runs WHERE source_id = ?")
        try select.bind(sourceID, at: 1)
        defer { select.reset() }
        let last = try select.step() ? select.text(at: 0).flatMap(Timestamp.init(iso8601:)) : nil
        return OpenedRun.start(now: now, previousEnd: last)
    }

    /// Writes the run's counters and marks it alive.
    public func heartbeat(runID: Int64, progress: RunProgress, now: Timestamp) throws {
        let update = try connection.cachedStatement(
            """
            UPDATE sync_runs SET heartbeat_at = ?2, requests = ?3, sessions_upserted = ?4, rows_written = ?5, warnings = ?6,
                max_commit_ms = ?7
            WHERE id = ?1 AND status = 'running'
            """
        )
        try update.bind(progress.maxCommitMilliseconds, at: 7)
        try update.bind(runID, at: 1)
        try update.bind(now.iso8601, at: 2)
        try update.bind(Int64(progress.requests), at: 3)
        try update.bind(Int64(progress.sessionsUpserted), at: 4)
        try update.bind(Int64(progress.rowsWritten), at: 5)
        try update.bind(StoredErrorText.capped(progress.warningsText), at: 6)
        try update.run()
    }

    /// Closes the run with its final status and counters.
    public func finishRun(runID: Int64, status: RunStatus, progress: RunProgress, error: String?, now: Timestamp) throws
    {
        let update = try connection.cachedStatement(
            """
            UPDATE sync_runs SET status = ?2, finished_at = ?3, heartbeat_at = ?3, requests = ?4,
                sessions_upserted = ?5, rows_written = ?6, error = ?7, warnings = ?8, max_commit_ms = ?9
            WHERE id = ?1
            """
        )
        try update.bind(progress.maxCommitMilliseconds, at: 9)
        try update.bind(runID, at: 1)
        try update.bind(status.rawValue, at: 2)
        try update.bind(now.iso8601, at: 3)
        try update.bind(Int64(progress.requests), at: 4)
        try update.bind(Int64(progress.sessionsUpserted), at: 5)
        try update.bind(Int64(progress.rowsWritten), at: 6)
        try update.bind(StoredErrorText.capped(error), at: 7)
        try update.bind(StoredErrorText.capped(progress.warningsText), at: 8)
        try update.run()
    }

    /// Marks `running` rows whose process is gone as `interrupted`; returns how many.
    @discardableResult
    public func interruptAbandonedRuns(now: Timestamp, isAlive: (Int) -> Bool, ownPID: Int) throws -> Int {
        try connection.transaction(.immediate) {
            var count = 0
            for run in try runningRuns(sourceID: nil) {
                if let owner = run.pid, owner == ownPID || isAlive(owner) { continue }
                try markInterrupted(runID: run.id, now: now, error: RunRecord.abandonedError(pid: run.pid))
                count += 1
            }
            return count
        }
    }

    private func markInterrupted(runID: Int64, now: Timestamp, error: String) throws {
        let update = try connection.cachedStatement(
            """
            UPDATE sync_runs SET status = 'interrupted', finished_at = coalesce(heartbeat_at, ?2),
                error = coalesce(error, ?3)
            WHERE id = ?1 AND status = 'running'
            """
        )
        try update.bind(runID, at: 1)
        try update.bind(now.iso8601, at: 2)
        try update.bind(error, at: 3)
        try update.run()
    }

    public func runningRuns(sourceID: Int64?) throws -> [RunRecord] {
        let select: Statement
        if let sourceID {
            select = try connection.cachedStatement(
                "SELECT \(Self.runColumns) FROM sync_runs WHERE status = 'running' AND source_id = ?")
            try select.bind(sourceID, at: 1)
        } else {
            select = try connection.cachedStatement("SELECT \(Self.runColumns) FROM sync_runs WHERE status = 'running'")
        }
        return try readRuns(select)
    }

    /// The newest run of the source, if any.
    public func lastRun(sourceID: Int64) throws -> RunRecord? {
        let select = try connection.cachedStatement(
            "SELECT \(Self.runColumns) FROM sync_runs WHERE source_id = ? ORDER BY id DESC LIMIT 1"
        )
        try select.bind(sourceID, at: 1)
        return try readRuns(select).first
    }

    /// The newest finished run whose status is `succeeded`, for "last success" in status.
    public func lastSuccessfulRun(sourceID: Int64) throws -> RunRecord? {
        let select = try connection.cachedStatement(
            "SELECT \(Self.runColumns) FROM sync_runs WHERE source_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1"
        )
        try select.bind(sourceID, at: 1)
        return try readRuns(select).first
    }

    public func run(id: Int64) throws -> RunRecord? {
        let select = try connection.cachedStatement("SELECT \(Self.runColumns) FROM sync_runs WHERE id = ?")
        try select.bind(id, at: 1)
        return try readRuns(select).first
    }

    private func readRuns(_ select: Statement) throws -> [RunRecord] {
        var runs: [RunRecord] = []
        try select.forEachRow { row in
            runs.append(
                RunRecord(
                    id: row.int64(at: 0), sourceID: row.int64(at: 1), startedAt: row.text(at: 2) ?? "",
                    finishedAt: row.text(at: 3), status: RunStatus(rawValue: row.text(at: 4) ?? "") ?? .failed,
                    requests: row.int(at: 5), sessionsUpserted: row.int(at: 6), rowsWritten: row.int(at: 7),
                    error: row.text(at: 8), warnings: row.text(at: 9), pid: row.optionalInt64(at: 10).map { Int($0) },
                    heartbeatAt: row.text(at: 11)
                )
            )
        }
        return runs
    }
}
