import Logging
import PostgresArchive
import PostgresNIO
import SessionSyncSupport

/// The same rows as a workload, loaded into a fresh PostgreSQL database with the archive's schema
/// (the PostgreSQL migrations applied, so the same keys, indexes, `jsonb` checks and generated
/// search columns) by a bare loop of `COPY … FROM STDIN`, one transaction per 100 sessions.
///
/// Why this is the fair baseline: it is what plain PostgreSQL does on this machine right now
/// with the fastest way it has to take rows, as the SQLite baseline's prepared inserts are
/// SQLite's. A statement per row would pay a round trip per row and make sessionsync look
/// better than it is; `COPY` streams a transaction's rows in one message per table. The session
/// rows carry the same `raw` and `detail_raw` payloads and the same children as the SQLite
/// baseline's, into the same server and with the same settings as the measured sync, and the
/// loader knows its session ids (the database is fresh), where the archive looks them up.
enum PostgresBaseline {
    static func run(_ workload: Workload, sessions count: Int, location: PostgresLocation, password: String?)
        async throws -> Baseline.Result
    {
        let logger = BenchPostgres.logger
        let connection = try await PostgresConnection.connect(
            configuration: try location.connectionConfiguration(password: password), id: 1, logger: logger)
        do {
            let result = try await load(workload, sessions: count, connection: connection, logger: logger)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func load(
        _ workload: Workload, sessions count: Int, connection: PostgresConnection, logger: Logger
    ) async throws -> Baseline.Result {
        try await PostgresMigrations.migrator().migrate(connection, logger: logger)
        var sourceID: Int64 = 0
        let inserted = try await connection.query(
            "INSERT INTO sources (name, provider, created_at) VALUES ('bench', 'baseline', now()) RETURNING id",
            logger: logger
        ).decode(Int64.self)
        for try await id in inserted { sourceID = id }
        // The rows' text is rendered before the clock starts, as the server's answers are.
        let (raws, details) = Baseline.payloads(workload, sessions: count)
        let kind = workload == .fanOut ? "meeting" : workload == .detail ? "activity" : "chat"
        let now = Timestamp.now().iso8601
        let clock = ContinuousClock()
        let started = clock.now
        var rows = 0
        var index = 0
        while index < count {
            let end = min(count, index + 100)
            var sessions = CopyRows()
            var children: [String: CopyRows] = [:]
            for session in index..<end {
                // Ids 1…N: the database is fresh, so the loader needs no answer from the server.
                let id = Int64(session + 1)
                let created = Workload.created(session, of: count)
                sessions.row(
                    .int(id), .int(sourceID), .text("s\(session)"), .text(kind), .text("closed"),
                    .text("Session \(session)"), .text("user-\(session % 900)"), .text(created.iso8601),
                    .text(created.adding(.seconds(1800)).iso8601), .text("US"), .text("desktop"),
                    .text(#"{"chat_mode":"bot","created_at":"\#(created.iso8601)"}"#), .text(raws[session]),
                    .text(now), .text(now), .text(now), .text(details[session]))
                rows += 1
                switch workload {
                case .listOnly:
                    break
                case .chat:
                    for message in 0..<Workload.messages {
                        children["messages", default: CopyRows()].row(
                            .int(id), .text("\(session * Workload.messages + message)"),
                            .text(message % 2 == 0 ? "visitor" : "bot"),
                            .text(created.adding(.seconds(Int64(20 + message))).iso8601), .text("text"),
                            .text(Renderer.messageBody(session: session, message: message)),
                            .text(#"{"id":\#(session * Workload.messages + message),"send_by":"bot"}"#))
                        rows += 1
                    }
                case .fanOut:
                    for person in 0..<Workload.participants {
                        children["participants", default: CopyRows()].row(
                            .int(id), .text("peer-\(session)-\(person)"), .text("user-\(person)"),
                            .text("Person \(person)"), .text("participant"), .text(created.iso8601),
                            .text(created.adding(.seconds(2700)).iso8601), .real(2700.0),
                            .text(#"{"id":"peer-\#(session)-\#(person)","duration":45.0}"#))
                        rows += 1
                    }
                case .detail:
                    for (offset, type) in ["total", "mouse", "scroll", "keyboard", "touch", "form"].enumerated() {
                        children["event_counts", default: CopyRows()].row(
                            .int(id), .text(type), .int(Int64(offset * 10)))
                        rows += 1
                    }
                    for point in 0..<Workload.timelinePoints {
                        children["timeline", default: CopyRows()].row(
                            .int(id), .text(created.adding(.seconds(Int64(point) * 30)).iso8601),
                            .int(Int64(point % 40)), .text("mouse"), .real(Double(point % 10) / 10))
                        rows += 1
                    }
                    for visit in 0..<Workload.pageVisits {
                        children["page_history", default: CopyRows()].row(
                            .int(id), .int(Int64(visit)), .text("https://shop.example.com/p/\(visit)"),
                            .text(created.adding(.seconds(Int64(visit) * 90)).iso8601), .text("navigation"),
                            .int(Int64(1000 + visit)))
                        rows += 1
                    }
                }
            }
            try await connection.query("BEGIN", logger: logger)
            try await copy(sessions, into: "sessions", connection: connection, logger: logger)
            for (table, tableRows) in children.sorted(by: { $0.key < $1.key }) {
                try await copy(tableRows, into: table, connection: connection, logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
            index = end
        }
        let elapsed = clock.now - started
        return Baseline.Result(
            rows: rows, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// The columns each table's rows give, in their order.
    private static let columns: [String: [String]] = [
        "sessions": [
            "id", "source_id", "external_id", "kind", "status", "title", "user_id", "started_at", "ended_at",
            "country", "device_type", "metadata", "raw", "first_seen_at", "last_seen_at", "updated_at", "detail_raw",
        ],
        "messages": ["session_id", "external_id", "sender", "sent_at", "content_type", "body", "raw"],
        "participants": [
            "session_id", "external_id", "user_id", "display_name", "role", "joined_at", "left_at",
            "duration_seconds", "raw",
        ],
        "event_counts": ["session_id", "event_type", "count"],
        "timeline": ["session_id", "bucket_at", "event_count", "dominant_event_type", "activity_level"],
        "page_history": ["session_id", "seq", "url", "visited_at", "type", "duration_ms"],
    ]

    private static func copy(
        _ rows: CopyRows, into table: String, connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.copyFrom(table: table, columns: columns[table] ?? [], logger: logger) { writer in
            try await writer.write(rows.buffer)
        }
    }
}
