import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    /// Counts drift of one field: a new row the first time, then its count and last sample.
    func recordDrift(_ drift: SchemaDrift, sourceID: Int64, now: String) throws {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO schema_drift (source_id, endpoint, json_path, expected, found_sample, first_seen_at, last_seen_at, count)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
            ON CONFLICT (source_id, endpoint, json_path, expected) DO UPDATE SET
                found_sample = excluded.found_sample, last_seen_at = excluded.last_seen_at, count = count + excluded.count
            """
        )
        try upsert.bind(sourceID, at: 1)
        try upsert.bind(drift.endpoint, at: 2)
        try upsert.bind(drift.path, at: 3)
        try upsert.bind(drift.expected, at: 4)
        try upsert.bind(drift.found, at: 5)
        try upsert.bind(now, at: 6)
        try upsert.bind(Int64(drift.count), at: 7)
        try upsert.run()
    }

    /// Keeps a record in quarantine; the same record seen again only counts.
    func quarantine(_ record: QuarantinedRecord, sourceID: Int64, now: String) throws {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO quarantine (source_id, endpoint, external_id, reason, raw, raw_hash, first_seen_at, last_seen_at, count)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)
            ON CONFLICT (source_id, endpoint, raw_hash) DO UPDATE SET
                reason = excluded.reason, last_seen_at = excluded.last_seen_at, count = count + 1
            """
        )
        try upsert.bind(sourceID, at: 1)
        try upsert.bind(record.endpoint, at: 2)
        try upsert.bind(record.externalID, at: 3)
        try upsert.bind(StoredErrorText.capped(record.reason), at: 4)
        try upsert.bind(record.raw, at: 5)
        try upsert.bind(record.rawHash, at: 6)
        try upsert.bind(now, at: 7)
        try upsert.run()
    }

    /// What `status` says about a source's drift and quarantine.
    public func driftSummary(sourceID: Int64) throws -> DriftSummary {
        var summary = DriftSummary()
        let fields = try connection.cachedStatement(
            """
            SELECT endpoint, json_path, expected, found_sample, count, last_seen_at FROM schema_drift
            WHERE source_id = ? ORDER BY last_seen_at DESC, json_path
            """
        )
        try fields.bind(sourceID, at: 1)
        try fields.forEachRow { row in
            summary.fields.append(
                SchemaDrift(
                    endpoint: row.text(at: 0) ?? "", path: row.text(at: 1) ?? "", expected: row.text(at: 2) ?? "",
                    found: row.text(at: 3) ?? "", count: row.int(at: 4)
                )
            )
            if summary.lastDriftAt == nil { summary.lastDriftAt = row.text(at: 5) }
        }
        let quarantined = try connection.cachedStatement(
            """
            SELECT count(*), max(last_seen_at),
                (SELECT reason FROM quarantine q WHERE q.source_id = ?1 ORDER BY last_seen_at DESC LIMIT 1)
            FROM quarantine WHERE source_id = ?1
            """
        )
        try quarantined.bind(sourceID, at: 1)
        try quarantined.forEachRow { row in
            summary.quarantined = row.int(at: 0)
            summary.lastQuarantinedAt = row.text(at: 1)
            summary.lastQuarantineReason = row.text(at: 2)
        }
        return summary
    }
}
