import Archive
import PostgresNIO
import SessionSyncSupport

extension PostgresArchiveStore {
    private static let runColumns = """
        id, source_id, \(PostgresTime.text("started_at")), \(PostgresTime.text("finished_at")), status, requests,
        sessions_upserted, rows_written, error, warnings, pid, \(PostgresTime.text("heartbeat_at"))
        """

    private typealias RunColumns = (
        Int64, Int64, String, String?, String, Int64, Int64, Int64, String?, String?, Int64?, String?
    )

    /// Opens a run of the source for process `pid` (``ArchiveBackend/openRun(source:provider:pid:isAlive:)``),
    /// inside the caller's transaction.
    ///
    /// The source's row is locked first (`SELECT … FOR UPDATE`) and held until the transaction
    /// ends, so that processes opening a run of one source take turns: the second reads the
    /// ledger only once the first has committed its run (``PostgresArchiveDatabase/withStore(_:transaction:_:)``
    /// reads committed data in each statement), and finds it running. Two processes cannot both
    /// start, as in SQLite, where the check and the insert share one write transaction.
    ///
    /// The source's lease is taken for `holder` first (``SourceLeases``): while another instance
    /// holds it, no run opens. Runs left `running` by another holder are interrupted (their holder
    /// lost the lease, and its commits are refused); this holder's own are judged by their
    /// process, as in SQLite.
    func openRun(
        source: String, provider: String, pid: Int, isAlive: (Int) -> Bool, now: Timestamp, holder: String,
        leasePeriod: Duration
    ) async throws -> (OpenedRun, SourceLease?) {
        let row = try await ensureSource(name: source, provider: provider, now: now, lock: true)
        let start = try await runStart(sourceID: row.id, now: now)
        let previous = try await rows(
            "SELECT holder, epoch FROM source_leases WHERE source_id = $1", [.int(row.id)], as: (String, Int64).self
        ).first
        var acquired = try await SourceLeases.acquire(
            sourceID: row.id, holder: holder, period: leasePeriod, on: connection, logger: logger)
        if acquired == nil, let (owner, epoch) = previous, SourceLeaseHolder.isGoneFromThisHost(owner, isAlive: isAlive)
        {
            // Killed (kill -9, a crash) on this machine: its lease would only make the source wait.
            acquired = try await SourceLeases.takeOver(
                sourceID: row.id, from: owner, epoch: epoch, holder: holder, period: leasePeriod, on: connection,
                logger: logger)
        }
        guard let lease = acquired else {
            return (OpenedRun(sourceID: row.id, runID: nil, startedAt: start), nil)
        }
        let takenOver = previous.map { $0.0 != holder || $0.1 != lease.epoch } ?? false
        for run in try await runningRuns(sourceID: row.id) {
            if !takenOver, let owner = run.pid, owner != pid, isAlive(owner) {
                return (OpenedRun(sourceID: row.id, runID: nil, startedAt: start), lease)
            }
            try await markInterrupted(runID: run.id, now: start, error: RunRecord.abandonedError(pid: run.pid))
        }
        let inserted = try await column(
            """
            INSERT INTO sync_runs (source_id, started_at, status, pid, heartbeat_at)
            VALUES ($1, $2::timestamptz, 'running', $3, $2::timestamptz) RETURNING id
            """,
            [.int(row.id), .time(start), .int(Int64(pid))], as: Int64.self)
        return (OpenedRun(sourceID: row.id, runID: inserted.first, startedAt: start), lease)
    }

    /// Whether the source's lease is held by nobody now, or lapsed in the hands of an instance
    /// other than `holder`: a `running` run of it has nobody to finish it but the next holder.
    func leaseLapsed(sourceID: Int64, apartFrom holder: String) async throws -> Bool {
        let held = try await column(
            "SELECT count(*) FROM source_leases WHERE source_id = $1 AND (expires_at >= now() OR holder = $2)",
            [.int(sourceID), .text(holder)], as: Int64.self)
        return (held.first ?? 0) == 0
    }

    /// The source a run belongs to.
    func sourceOfRun(_ runID: Int64) async throws -> Int64? {
        try await column("SELECT source_id FROM sync_runs WHERE id = $1", [.int(runID)], as: Int64.self).first
    }

    /// When a new run of the source may say it started (``OpenedRun/start(now:previousEnd:)``).
    func runStart(sourceID: Int64, now: Timestamp) async throws -> Timestamp {
        let last = try await column(
            "SELECT \(PostgresTime.text("max(coalesce(finished_at, heartbeat_at, started_at))")) FROM sync_runs WHERE source_id = $1",
            [.int(sourceID)], as: String?.self)
        return OpenedRun.start(now: now, previousEnd: last.first?.flatMap { Timestamp(iso8601: $0) })
    }

    func heartbeat(runID: Int64, progress: RunProgress, now: Timestamp) async throws {
        try await run(
            """
            UPDATE sync_runs SET heartbeat_at = $2::timestamptz, requests = $3, sessions_upserted = $4, rows_written = $5,
                warnings = $6::text, max_commit_ms = $7::float8
            WHERE id = $1 AND status = 'running'
            """,
            [
                .int(runID), .time(now), .int(Int64(progress.requests)), .int(Int64(progress.sessionsUpserted)),
                .int(Int64(progress.rowsWritten)), .text(StoredErrorText.capped(progress.warningsText)),
                .real(progress.maxCommitMilliseconds),
            ])
    }

    /// Records the end of a run still `running`: one the instance that took its source over
    /// already marked `interrupted` keeps that record, since its holder lost the right to write.
    func finishRun(runID: Int64, status: RunStatus, progress: RunProgress, error: String?, now: Timestamp)
        async throws
    {
        try await run(
            """
            UPDATE sync_runs SET status = $2, finished_at = $3::timestamptz, heartbeat_at = $3::timestamptz, requests = $4,
                sessions_upserted = $5, rows_written = $6, error = $7::text, warnings = $8::text, max_commit_ms = $9::float8
            WHERE id = $1 AND status = 'running'
            """,
            [
                .int(runID), .text(status.rawValue), .time(now), .int(Int64(progress.requests)),
                .int(Int64(progress.sessionsUpserted)), .int(Int64(progress.rowsWritten)),
                .text(StoredErrorText.capped(error)), .text(StoredErrorText.capped(progress.warningsText)),
                .real(progress.maxCommitMilliseconds),
            ])
    }

    /// Marks `running` rows whose process is gone as `interrupted`; returns how many. The rows
    /// are locked while they are looked at, so that a process opening a run meanwhile waits.
    func interruptAbandonedRuns(now: Timestamp, isAlive: (Int) -> Bool, ownPID: Int, holder: String) async throws
        -> Int
    {
        var count = 0
        // A run of a source whose lease another instance holds is that instance's to finish: its
        // process id means nothing on this machine.
        let heldElsewhere = Set(
            try await column(
                "SELECT source_id FROM source_leases WHERE expires_at >= now() AND holder <> $1", [.text(holder)],
                as: Int64.self))
        for run in try await runningRuns(sourceID: nil) where !heldElsewhere.contains(run.sourceID) {
            if let owner = run.pid, owner == ownPID || isAlive(owner) { continue }
            try await markInterrupted(runID: run.id, now: now, error: RunRecord.abandonedError(pid: run.pid))
            count += 1
        }
        return count
    }

    private func markInterrupted(runID: Int64, now: Timestamp, error: String) async throws {
        try await run(
            """
            UPDATE sync_runs SET status = 'interrupted', finished_at = coalesce(heartbeat_at, $2::timestamptz),
                error = coalesce(error, $3::text)
            WHERE id = $1 AND status = 'running'
            """,
            [.int(runID), .time(now), .text(error)])
    }

    /// The source's `running` runs (every source's, for nil), locked until the transaction ends.
    func runningRuns(sourceID: Int64?) async throws -> [RunRecord] {
        if let sourceID {
            return try await readRuns(
                "SELECT \(Self.runColumns) FROM sync_runs WHERE status = 'running' AND source_id = $1 ORDER BY id FOR UPDATE",
                [.int(sourceID)])
        }
        return try await readRuns(
            "SELECT \(Self.runColumns) FROM sync_runs WHERE status = 'running' ORDER BY id FOR UPDATE")
    }

    /// The newest run of the source, if any.
    func lastRun(sourceID: Int64) async throws -> RunRecord? {
        try await readRuns(
            "SELECT \(Self.runColumns) FROM sync_runs WHERE source_id = $1 ORDER BY id DESC LIMIT 1", [.int(sourceID)]
        ).first
    }

    /// The newest run whose status is `succeeded`, for "last success" in status.
    func lastSuccessfulRun(sourceID: Int64) async throws -> RunRecord? {
        try await readRuns(
            "SELECT \(Self.runColumns) FROM sync_runs WHERE source_id = $1 AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
            [.int(sourceID)]
        ).first
    }

    private func readRuns(_ sql: String, _ parameters: [PostgresParameter] = []) async throws -> [RunRecord] {
        let found: [RunColumns] = try await rows(sql, parameters, as: RunColumns.self)
        return found.map(Self.runRecord)
    }

    private static func runRecord(_ row: RunColumns) -> RunRecord {
        let status = RunStatus(rawValue: row.4) ?? .failed
        let pid = row.10.map { Int($0) }
        return RunRecord(
            id: row.0, sourceID: row.1, startedAt: row.2, finishedAt: row.3, status: status, requests: Int(row.5),
            sessionsUpserted: Int(row.6), rowsWritten: Int(row.7), error: row.8, warnings: row.9, pid: pid,
            heartbeatAt: row.11)
    }
}
