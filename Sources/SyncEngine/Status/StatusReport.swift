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

    /// Reads the report from `store` for the sources of `configuration` (and any others archived).
    public static func read(
        store: ArchiveStore, configuration: Configuration, database: String, now: Timestamp = .now()
    ) throws -> StatusReport {
        let version = try store.schemaVersion()
        var statuses: [SourceStatus] = []
        let archived = try store.allSources()
        for source in configuration.sources {
            let row = archived.first { $0.name == source.name }
            statuses.append(
                try status(
                    of: row, store: store, name: source.name, provider: source.provider, configured: source, now: now))
        }
        for row in archived where configuration.source(named: row.name) == nil {
            statuses.append(
                try status(of: row, store: store, name: row.name, provider: row.provider, configured: nil, now: now))
        }
        var report = StatusReport(database: database, schemaVersion: version, generatedAt: now, sources: statuses)
        report.vitals = try store.vitals()
        return report
    }

    private static func status(
        of row: SourceRow?, store: ArchiveStore, name: String, provider: String, configured: SourceConfiguration?,
        now: Timestamp
    ) throws -> SourceStatus {
        var status = SourceStatus(
            name: name, provider: provider, configured: configured != nil, enabled: configured?.enabled ?? false,
            schedule: configured?.schedule.description, lastRun: nil, lastSuccess: nil, nextDue: nil, cursors: [],
            rows: SourceRowCounts(), queue: [], pendingDetailRequests: 0
        )
        if let row {
            status.lastRun = try store.lastRun(sourceID: row.id)
            status.lastSuccess = try store.lastSuccessfulRun(sourceID: row.id)
            status.cursors = try store.cursors(sourceID: row.id)
            status.rows = try store.rowCounts(sourceID: row.id)
            status.queue = try store.queueCounts(sourceID: row.id)
            status.drift = try store.driftSummary(sourceID: row.id)
            status.retentionState = try store.retentionState(sourceID: row.id)
            status.tombstones = try store.tombstoneCounts(sourceID: row.id)
            if configured?.retention != nil || status.retentionState != nil {
                status.oldestActivity = try store.oldestActivity(sourceID: row.id)
            }
        }
        status.retention = configured?.retention
        status.pendingDetailRequests = try store.pendingDetailRequests(sourceName: name)
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
