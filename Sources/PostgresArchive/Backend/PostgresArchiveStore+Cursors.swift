import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    func cursor(sourceID: Int64, stream: String) async throws -> String? {
        try await column(
            "SELECT value FROM sync_cursors WHERE source_id = $1 AND stream = $2", [.int(sourceID), .text(stream)],
            as: String?.self
        ).first ?? nil
    }

    func setCursor(_ update: CursorUpdate, sourceID: Int64, now: Timestamp) async throws {
        try await run(
            """
            INSERT INTO sync_cursors (source_id, stream, value, updated_at) VALUES ($1, $2, $3::text, $4::timestamptz)
            ON CONFLICT (source_id, stream) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            [.int(sourceID), .text(update.stream), .text(update.value), .time(now)])
    }
}
