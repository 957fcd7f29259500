import Archive
import SessionSyncSupport

extension PostgresArchiveStore {
    /// The `sessions` columns an ``ArchivedSession`` holds, as the SQLite archive returns them.
    private static let archivedSessionColumns = """
        external_id, status, \(PostgresTime.text("started_at")), \(PostgresTime.text("ended_at")),
        \(PostgresTime.text("updated_at")), \(PostgresTime.text("last_seen_at")), raw::text
        """

    private typealias ArchivedSessionColumns = (String, String?, String?, String?, String, String, String)

    private static func archivedSession(_ row: ArchivedSessionColumns) -> ArchivedSession {
        ArchivedSession(
            externalID: row.0, status: row.1, startedAt: row.2, endedAt: row.3, updatedAt: row.4, lastSeenAt: row.5,
            raw: row.6)
    }

    /// Sessions of the source with `status`, by start (unknown starts first, as SQLite sorts
    /// NULL) and external id; with `notSeenSince`, only those no listing has brought since.
    func sessions(sourceID: Int64, status: String, limit: Int, notSeenSince: Timestamp?) async throws
        -> [ArchivedSession]
    {
        try await rows(
            """
            SELECT \(Self.archivedSessionColumns) FROM sessions
            WHERE source_id = $1 AND status = $2 AND ($4::timestamptz IS NULL OR last_seen_at < $4::timestamptz)
            ORDER BY started_at NULLS FIRST, external_id COLLATE "C" LIMIT $3
            """,
            [.int(sourceID), .text(status), .int(Int64(limit)), .time(notSeenSince)], as: ArchivedSessionColumns.self
        ).map(Self.archivedSession)
    }

    func session(sourceID: Int64, externalID: String) async throws -> ArchivedSession? {
        try await rows(
            "SELECT \(Self.archivedSessionColumns) FROM sessions WHERE source_id = $1 AND external_id = $2",
            [.int(sourceID), .text(externalID)], as: ArchivedSessionColumns.self
        ).first.map(Self.archivedSession)
    }

    /// The database's size on disk, as the server counts it.
    func databaseBytes() async throws -> Int64 {
        try await column("SELECT pg_database_size(current_database())", as: Int64.self).first ?? 0
    }
}
