import Archive
import PostgresNIO
import SessionSyncSupport

/// `status` of a PostgreSQL archive: the SQLite store's reads, with times read back as its text.
extension PostgresArchiveStore: StatusReading {
    func schemaVersion() async throws -> Int {
        Int(try await column("SELECT coalesce(max(version), 0) FROM schema_migrations", as: Int64.self).first ?? 0)
    }

    func cursors(sourceID: Int64) async throws -> [CursorRow] {
        try await rows(
            """
            SELECT stream, value, \(PostgresTime.text("updated_at")) FROM sync_cursors
            WHERE source_id = $1 ORDER BY stream COLLATE "C"
            """,
            [.int(sourceID)], as: (String, String?, String).self
        ).map { CursorRow(stream: $0, value: $1, updatedAt: $2) }
    }

    func rowCounts(sourceID: Int64) async throws -> SourceRowCounts {
        let found = try await rows(
            """
            SELECT
                (SELECT count(*) FROM sessions WHERE source_id = $1),
                (SELECT count(*) FROM sessions WHERE source_id = $1 AND status = 'live'),
                (SELECT count(*) FROM participants p JOIN sessions s ON s.id = p.session_id WHERE s.source_id = $1),
                (SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.source_id = $1),
                (SELECT count(*) FROM page_history h JOIN sessions s ON s.id = h.session_id WHERE s.source_id = $1),
                (SELECT count(*) FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.source_id = $1),
                (SELECT count(*) FROM transcripts t JOIN sessions s ON s.id = t.session_id WHERE s.source_id = $1)
            """,
            [.int(sourceID)], as: (Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
        var counts = SourceRowCounts()
        if let row = found.first {
            counts.sessions = Int(row.0)
            counts.liveSessions = Int(row.1)
            counts.participants = Int(row.2)
            counts.messages = Int(row.3)
            counts.pageHistory = Int(row.4)
            counts.timeline = Int(row.5)
            counts.transcripts = Int(row.6)
        }
        return counts
    }

    func driftSummary(sourceID: Int64) async throws -> DriftSummary {
        var summary = DriftSummary()
        for (endpoint, path, expected, found, count, lastSeen) in try await rows(
            """
            SELECT endpoint, json_path, expected, found_sample, count, \(PostgresTime.text("last_seen_at"))
            FROM schema_drift WHERE source_id = $1 ORDER BY last_seen_at DESC, json_path COLLATE "C"
            """,
            [.int(sourceID)], as: (String, String, String, String, Int64, String).self)
        {
            summary.fields.append(
                SchemaDrift(endpoint: endpoint, path: path, expected: expected, found: found, count: Int(count)))
            if summary.lastDriftAt == nil { summary.lastDriftAt = lastSeen }
        }
        if let (count, last, reason) = try await rows(
            """
            SELECT count(*), \(PostgresTime.text("max(last_seen_at)")),
                (SELECT reason FROM quarantine q WHERE q.source_id = $1 ORDER BY last_seen_at DESC LIMIT 1)
            FROM quarantine WHERE source_id = $1
            """,
            [.int(sourceID)], as: (Int64, String?, String?).self
        ).first {
            summary.quarantined = Int(count)
            summary.lastQuarantinedAt = last
            summary.lastQuarantineReason = reason
        }
        return summary
    }

    func retentionState(sourceID: Int64) async throws -> RetentionState? {
        try await rows(
            """
            SELECT retention_seconds, \(PostgresTime.text("applied_at")), \(PostgresTime.text("cutoff")), sessions_deleted
            FROM retention_state WHERE source_id = $1
            """,
            [.int(sourceID)], as: (Int64, String, String, Int64).self
        ).first.map {
            RetentionState(retentionSeconds: $0, appliedAt: $1, cutoff: $2, sessionsDeleted: Int($3))
        }
    }

    func tombstoneCounts(sourceID: Int64) async throws -> [TombstoneReason: Int] {
        var counts: [TombstoneReason: Int] = [:]
        for (reason, count) in try await rows(
            "SELECT reason, count(*) FROM tombstones WHERE source_id = $1 GROUP BY reason", [.int(sourceID)],
            as: (String, Int64).self)
        {
            if let reason = TombstoneReason(rawValue: reason) { counts[reason] = Int(count) }
        }
        return counts
    }

    func oldestActivity(sourceID: Int64) async throws -> String? {
        try await column(
            "SELECT \(PostgresTime.text("min(coalesce(ended_at, last_seen_at))")) FROM sessions WHERE source_id = $1",
            [.int(sourceID)], as: String?.self
        ).first ?? nil
    }

    func pendingDetailRequests(sourceName: String) async throws -> Int {
        Int(
            try await column(
                "SELECT count(*) FROM detail_requests WHERE source_name = $1", [.text(sourceName)], as: Int64.self
            ).first ?? 0)
    }

    /// The database's size; PostgreSQL keeps its own WAL, for the whole server.
    func vitals() async throws -> ArchiveVitals {
        var vitals = ArchiveVitals()
        vitals.databaseBytes = try await databaseBytes()
        return vitals
    }

    func leaseHolders() async throws -> [Int64: LeaseHolding] {
        try await SourceLeases.holders(on: connection, logger: logger)
    }
}
