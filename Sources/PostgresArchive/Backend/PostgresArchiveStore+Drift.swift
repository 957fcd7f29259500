import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    /// Counts drift of one field: a new row the first time, then its count and last sample.
    func recordDrift(_ drift: SchemaDrift, sourceID: Int64, now: Timestamp) async throws {
        try await run(
            """
            INSERT INTO schema_drift (source_id, endpoint, json_path, expected, found_sample, first_seen_at, last_seen_at,
                count)
            VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $6::timestamptz, $7)
            ON CONFLICT (source_id, endpoint, json_path, expected) DO UPDATE SET
                found_sample = excluded.found_sample, last_seen_at = excluded.last_seen_at,
                count = schema_drift.count + excluded.count
            """,
            [
                .int(sourceID), .text(drift.endpoint), .text(drift.path), .text(drift.expected), .text(drift.found),
                .time(now), .int(Int64(drift.count)),
            ])
    }

    /// Keeps a record in quarantine; the same record seen again (the same ``QuarantinedRecord/rawHash``
    /// of the text received, as in SQLite) only counts.
    func quarantine(_ record: QuarantinedRecord, sourceID: Int64, now: Timestamp) async throws {
        try await run(
            """
            INSERT INTO quarantine (source_id, endpoint, external_id, reason, raw, raw_hash, first_seen_at, last_seen_at,
                count)
            VALUES ($1, $2, $3::text, $4, $5::jsonb, $6, $7::timestamptz, $7::timestamptz, 1)
            ON CONFLICT (source_id, endpoint, raw_hash) DO UPDATE SET
                reason = excluded.reason, last_seen_at = excluded.last_seen_at, count = quarantine.count + 1
            """,
            [
                .int(sourceID), .text(record.endpoint), .text(record.externalID),
                .text(StoredErrorText.capped(record.reason)), .json(record.raw), .text(record.rawHash), .time(now),
            ])
    }

    /// Deletes quarantined records that a batch archived; returns how many.
    func release(quarantined ids: [Int64], sourceID: Int64) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try await count(
            "DELETE FROM quarantine WHERE id = ANY($1::int8[]) AND source_id = $2 RETURNING 1",
            [.ints(ids), .int(sourceID)])
    }
}
