import SessionSyncSupport

/// The archive as the engine sees it: every read and write a pass, the daemon and the metrics
/// make, and nothing of how or where it is stored. ``ArchiveDatabase`` is the SQLite file; a
/// second implementation keeps the same tables in PostgreSQL. Providers and the engine hold an
/// `any ArchiveBackend` and never learn which one they write to.
///
/// Each method is one short unit of work (a write is one transaction), so that other sources'
/// work goes between them.
public protocol ArchiveBackend: Sendable {
    /// Where the archive is, for logs: a file's path, or a server's address without credentials.
    var location: String { get }

    /// Nil when this process is the archive's only writer while it runs a source (SQLite: the
    /// file's lock and the run ledger). Else the archive is shared by several instances, each
    /// source held by one at a time, and this is the period within which a holder must renew
    /// it (by its runs' heartbeats) before another takes the source over.
    var sourceLeasePeriod: Duration? { get }

    // MARK: Sources and the run ledger

    /// Registers the sources (a new name gets a row; a known name must keep its provider).
    func ensureSources(_ sources: [(name: String, provider: String)], now: Timestamp) async throws

    func source(named name: String) async throws -> SourceRow?

    /// Opens a run of the source for process `pid`: the source's row (registered if new), the
    /// run's id, and when the pass starts. The run id is nil when another live process is
    /// running the source (`isAlive` tells which recorded processes still run).
    func openRun(source: String, provider: String, pid: Int, isAlive: @Sendable (Int) -> Bool) async throws
        -> OpenedRun

    func heartbeat(runID: Int64, progress: RunProgress, now: Timestamp) async throws

    func finishRun(runID: Int64, status: RunStatus, progress: RunProgress, error: String?, now: Timestamp)
        async throws

    /// Marks `running` runs of processes that are gone as `interrupted`; returns how many.
    func interruptAbandonedRuns(now: Timestamp, isAlive: @Sendable (Int) -> Bool, ownPID: Int) async throws -> Int

    /// When the source's last run started, for the schedule: nil before its first run, and
    /// when its last run was left `running` by an instance whose lease lapsed, so that the
    /// source is due at once and another instance takes its work over.
    func lastRunStart(source: String) async throws -> Timestamp?

    /// The ledger of each named source (nil for one never run), with the fetch queue's counts
    /// when `queueCounts` (a scan of the source's queue rows).
    func ledger(sources: [String], queueCounts: Bool) async throws -> [String: SourceLedger]

    /// The archive's size and checkpoint health.
    func vitals() async throws -> ArchiveVitals

    /// A round trip through the archive's writer: returns once it is free to take work.
    func ping() async throws

    // MARK: A pass's reads and writes

    /// Commits `batch` for the source in one transaction and says what it changed.
    func commit(_ batch: ArchiveBatch, sourceID: Int64, now: Timestamp) async throws -> WriteStats

    func cursor(sourceID: Int64, stream: String) async throws -> String?

    func dueQueueItems(sourceID: Int64, kind: String, now: Timestamp, limit: Int, notAttemptedSince: Timestamp?)
        async throws -> [QueueItem]

    func queueStates(sourceID: Int64, kind: String, externalIDs: [String]) async throws -> [String: QueueState]

    func tombstoned(sourceID: Int64, externalIDs: [String]) async throws -> Set<String>

    func drainDetailRequests(sourceName: String, sourceID: Int64, kind: String, now: Timestamp) async throws -> Int

    func sessions(sourceID: Int64, status: String, limit: Int, notSeenSince: Timestamp?) async throws
        -> [ArchivedSession]

    func session(sourceID: Int64, externalID: String) async throws -> ArchivedSession?

    // MARK: Retention

    func retentionDue(sourceID: Int64, retention: Duration, now: Timestamp) async throws -> Bool

    func removeInactiveSessions(sourceID: Int64, before cutoff: Timestamp, after: Int64, now: Timestamp)
        async throws -> RetentionChunk

    func recordRetention(sourceID: Int64, retention: Duration, cutoff: Timestamp, sessionsDeleted: Int, now: Timestamp)
        async throws
}
