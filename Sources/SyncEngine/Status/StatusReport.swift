import Archive
import SessionSyncSupport

/// The per-source state of an archive, as `status` shows it to people and scripts.
public struct StatusReport: Sendable {
    public var database: String
    public var schemaVersion: Int
    public var generatedAt: Timestamp
    public var sources: [SourceStatus]
    /// The archive's file sizes and the WAL checkpoints SQLite refused.
    public var vitals = ArchiveVitals()
    /// The lease period when several instances share the archive (PostgreSQL), nil for a file
    /// one process writes.
    public var sharedLease: Duration?

    /// Reads the report from `store` for the sources of `configuration` (and any others archived).
    public static func read(
        store: some StatusReading, configuration: Configuration, database: String, sharedLease: Duration? = nil,
        now: Timestamp = .now()
    ) async throws -> StatusReport {
        let version = try await store.schemaVersion()
        var statuses: [SourceStatus] = []
        let archived = try await store.allSources()
        let holders = try await store.leaseHolders()
        for source in configuration.sources {
            let row = archived.first { $0.name == source.name }
            var status = try await status(
                of: row, store: store, name: source.name, provider: source.provider, configured: source, now: now)
            status.lease = row.flatMap { holders[$0.id] }
            statuses.append(status)
        }
        for row in archived where configuration.source(named: row.name) == nil {
            var status = try await status(
                of: row, store: store, name: row.name, provider: row.provider, configured: nil, now: now)
            status.lease = holders[row.id]
            statuses.append(status)
        }
        var report = StatusReport(database: database, schemaVersion: version, generatedAt: now, sources: statuses)
        report.vitals = try await store.vitals()
        report.sharedLease = sharedLease
        return report
    }

    private static func status(
        of row: SourceRow?, store: some StatusReading, name: String, provider: String,
        configured: SourceConfiguration?, now: Timestamp
    ) async throws -> SourceStatus {
        var status = SourceStatus(
            name: name, provider: provider, configured: configured != nil, enabled: configured?.enabled ?? false,
            schedule: configured?.schedule.description, lastRun: nil, lastSuccess: nil, nextDue: nil, cursors: [],
            rows: SourceRowCounts(), queue: [], pendingDetailRequests: 0
        )
        if let row {
            status.lastRun = try await store.lastRun(sourceID: row.id)
            status.lastSuccess = try await store.lastSuccessfulRun(sourceID: row.id)
            status.cursors = try await store.cursors(sourceID: row.id)
            status.rows = try await store.rowCounts(sourceID: row.id)
            status.queue = try await store.queueCounts(sourceID: row.id)
            status.drift = try await store.driftSummary(sourceID: row.id)
            status.retentionState = try await store.retentionState(sourceID: row.id)
            status.tombstones = try await store.tombstoneCounts(sourceID: row.id)
            if configured?.retention != nil || status.retentionState != nil {
                status.oldestActivity = try await store.oldestActivity(sourceID: row.id)
            }
        }
        status.retention = configured?.retention
        status.pendingDetailRequests = try await store.pendingDetailRequests(sourceName: name)
        if let configured, configured.enabled {
            let lastStart = status.lastRun.flatMap { Timestamp(iso8601: $0.startedAt) }
            status.nextDue = configured.schedule.nextStart(lastStart: lastStart, now: now)
            // As /healthz judges it; no daemon start is known here, so the source is watched since
            // the archive first knew it.
            let since = row.flatMap { Timestamp(iso8601: $0.createdAt) } ?? now
            status.health = SourceHealth.judge(
                configured, lastSuccess: status.lastSuccess, lastRun: status.lastRun, since: since, now: now)
        }
        return status
    }
}
