/// The PostgreSQL type of an archive column that a statement binds a value for
/// (`migrations/postgres/0001_initial.sql`), so that each parameter is cast to it: a value is
/// bound as text, a number or bytes, and the server converts it (`$4::timestamptz`).
enum PostgresColumnType: String, Sendable {
    case text, jsonb, timestamptz, float8, int8, bytea

    /// The cast that follows a parameter, `::timestamptz`.
    var cast: String {
        "::" + rawValue
    }

    /// The type of the column `name` of `sessions` or of a child table (``ChildTableLayout``); a
    /// test compares this with the schema.
    static func of(column name: String) -> PostgresColumnType {
        columnTypes[name] ?? .text
    }

    private static let columnTypes: [String: PostgresColumnType] = [
        "started_at": .timestamptz, "ended_at": .timestamptz, "joined_at": .timestamptz, "left_at": .timestamptz,
        "visited_at": .timestamptz, "bucket_at": .timestamptz, "sent_at": .timestamptz, "spoken_at": .timestamptz,
        "duration_seconds": .float8, "bot_score": .float8, "activity_level": .float8,
        "session_id": .int8, "seq": .int8, "duration_ms": .int8, "event_count": .int8, "count": .int8,
        "metadata": .jsonb, "raw": .jsonb, "detail_raw": .jsonb,
    ]
}
