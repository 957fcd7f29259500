import Archive
import SessionSyncSupport

/// `enqueue` and `reset-cursor` on a PostgreSQL archive, each one transaction, as in SQLite.
extension PostgresArchiveDatabase: OperatorRequests {
    public func requestDetails(sourceName: String, externalIDs: [String], now: Timestamp) async throws -> Int {
        try await withStore("add detail requests") { store in
            _ = try await store.run(
                """
                INSERT INTO detail_requests (source_name, external_id, requested_at)
                SELECT $1, id, $3::timestamptz FROM unnest($2::text[]) AS id
                ON CONFLICT (source_name, external_id) DO UPDATE SET requested_at = excluded.requested_at
                """,
                [.text(sourceName), .texts(externalIDs), .time(now)])
            return externalIDs.count
        }
    }

    public func resetCursors(sourceID: Int64, stream: String?) async throws -> Int {
        try await withStore("forget cursors") { store in
            try await store.count(
                """
                DELETE FROM sync_cursors WHERE source_id = $1 AND ($2::text IS NULL OR stream = $2) RETURNING 1
                """,
                [.int(sourceID), .text(stream)])
        }
    }
}
