import PostgresArchive
import PostgresNIO
import SQLiteDB
import SessionSyncSupport

/// A digest of an archive's content, to prove that a pass changed nothing: every table a pass
/// writes but the run ledger, without the columns allowed to move (`sessions.last_seen_at`,
/// cursors' `updated_at`, the fetch queue's times). The same for a SQLite and a PostgreSQL
/// archive (times read as SQLite's text, jsonb as text), each compared with itself.
public enum ArchiveDigest {
    private enum Kind {
        case plain, time, json
    }

    private struct Table {
        let name: String
        let columns: [(name: String, kind: Kind)]
        let order: String
    }

    private static let tables: [Table] = [
        Table(
            name: "event_counts", columns: [("session_id", .plain), ("event_type", .plain), ("count", .plain)],
            order: "session_id, event_type"),
        Table(
            name: "fetch_queue",
            columns: [
                ("source_id", .plain), ("kind", .plain), ("external_id", .plain), ("version", .plain),
                ("done_version", .plain), ("state", .plain), ("attempts", .plain), ("last_error", .plain),
                ("expires_at", .time),
            ], order: "1, 2, 3"),
        Table(
            name: "messages",
            columns: [
                ("id", .plain), ("session_id", .plain), ("external_id", .plain), ("sender", .plain),
                ("sent_at", .time), ("content_type", .plain), ("body", .plain), ("raw", .json),
            ], order: "id"),
        Table(
            name: "page_history",
            columns: [
                ("session_id", .plain), ("seq", .plain), ("url", .plain), ("visited_at", .time), ("type", .plain),
                ("duration_ms", .plain),
            ], order: "session_id, seq"),
        Table(
            name: "participants",
            columns: [
                ("id", .plain), ("session_id", .plain), ("external_id", .plain), ("user_id", .plain),
                ("display_name", .plain), ("role", .plain), ("joined_at", .time), ("left_at", .time),
                ("duration_seconds", .plain), ("raw", .json),
            ], order: "id"),
        Table(
            name: "session_fingerprints", columns: [("session_id", .plain), ("child_sets", .json)],
            order: "session_id"),
        Table(
            name: "session_metadata", columns: [("session_id", .plain), ("key", .plain), ("value", .plain)],
            order: "session_id, key"),
        Table(
            name: "sessions",
            columns: [
                ("id", .plain), ("source_id", .plain), ("external_id", .plain), ("kind", .plain), ("status", .plain),
                ("title", .plain), ("user_id", .plain), ("started_at", .time), ("ended_at", .time),
                ("duration_seconds", .plain), ("country", .plain), ("device_type", .plain), ("os", .plain),
                ("browser", .plain), ("browser_version", .plain), ("url", .plain), ("bot_score", .plain),
                ("metadata", .json), ("raw", .json), ("detail_raw", .json), ("first_seen_at", .time),
                ("updated_at", .time), ("absent_listings", .plain),
            ], order: "id"),
        Table(
            name: "sync_cursors", columns: [("source_id", .plain), ("stream", .plain), ("value", .plain)],
            order: "1, 2"),
        Table(
            name: "timeline",
            columns: [
                ("session_id", .plain), ("bucket_at", .time), ("event_count", .plain),
                ("dominant_event_type", .plain), ("activity_level", .plain),
            ], order: "session_id, bucket_at"),
        Table(
            name: "transcripts",
            columns: [
                ("id", .plain), ("session_id", .plain), ("seq", .plain), ("spoken_at", .time),
                ("participant_external_id", .plain), ("speaker", .plain), ("text", .plain),
            ], order: "session_id, seq"),
    ]

    /// The SQLite archive on `connection`. Queue items of `ignoringQueueKinds` are left out.
    public static func of(sqlite connection: Connection, ignoringQueueKinds: Set<String> = []) throws -> String {
        var hasher = StableHasher()
        for table in tables {
            let select = try connection.prepare(
                "SELECT \(table.columns.map(\.name).joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.order)"
            )
            var rows: [[String?]] = []
            while try select.step() {
                rows.append((0..<select.columnCount).map { select.text(at: $0) })
            }
            combine(table.name, rows, ignoringQueueKinds: ignoringQueueKinds, into: &hasher)
        }
        return hasher.hexDigest
    }

    /// The PostgreSQL archive `client` is connected to.
    public static func of(postgres client: PostgresClient, ignoringQueueKinds: Set<String> = []) async throws -> String
    {
        var hasher = StableHasher()
        for table in tables {
            let columns = table.columns.map { column in
                switch column.kind {
                case .plain, .json: "\(column.name)::text"
                case .time: PostgresTime.text(column.name)
                }
            }
            let result = try await client.query(
                PostgresQuery(
                    unsafeSQL: "SELECT \(columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.order)"))
            var rows: [[String?]] = []
            for try await row in result {
                rows.append(try row.map { try $0.decode(String?.self) })
            }
            combine(table.name, rows, ignoringQueueKinds: ignoringQueueKinds, into: &hasher)
        }
        return hasher.hexDigest
    }

    private static func combine(
        _ table: String, _ rows: [[String?]], ignoringQueueKinds: Set<String>, into hasher: inout StableHasher
    ) {
        hasher.combine(table)
        for row in rows where table != "fetch_queue" || !ignoringQueueKinds.contains(row[1] ?? "") {
            for cell in row {
                if let cell { hasher.combine(cell) } else { hasher.combineNil() }
            }
        }
    }
}
