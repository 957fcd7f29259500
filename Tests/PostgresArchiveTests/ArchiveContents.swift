import Archive
import Foundation
import PostgresNIO
import SQLiteDB

@testable import PostgresArchive

/// Every row of both archives' tables in one form, to compare a SQLite archive with a PostgreSQL
/// one: times as the SQLite archive's text (PostgreSQL's read through ``PostgresTime``), JSON as
/// PostgreSQL's jsonb text (SQLite's text converted by the server), numbers as numbers, and no
/// surrogate ids (they are not the same in both: PostgreSQL's identities never reuse a number,
/// and an upsert that updates spends one). A row of a child table names its session by its
/// external id; rows are sorted.
struct ArchiveContents: Equatable, CustomStringConvertible {
    /// One value.
    enum Cell: Hashable, CustomStringConvertible {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)

        var description: String {
            switch self {
            case .null: "NULL"
            case .integer(let value): "\(value)"
            case .real(let value): "\(value)r"
            case .text(let value): "'\(value)'"
            }
        }
    }

    enum Kind {
        case plain, time, json
    }

    /// A table read as `SELECT columns FROM from`.
    struct Table {
        let name: String
        let columns: [(expression: String, kind: Kind)]
        let from: String

        init(_ name: String, from: String? = nil, _ columns: [(String, Kind)]) {
            self.name = name
            self.columns = columns.map { (expression: $0.0, kind: $0.1) }
            self.from = from ?? name
        }

        /// A child table of `sessions`: its rows name their session by external id.
        static func child(_ name: String, _ columns: [(String, Kind)]) -> Table {
            Table(
                name, from: "\(name) c JOIN sessions s ON s.id = c.session_id",
                [("s.external_id", .plain)] + columns.map { ("c." + $0.0, $0.1) })
        }
    }

    /// Every table of both archives but the run ledger (its times are the clock's), the
    /// tombstones' key (random per archive) and SQLite's own (`wal_checkpoint_failures`, FTS).
    static let tables: [Table] = [
        Table("sources", [("name", .plain), ("provider", .plain), ("created_at", .time)]),
        Table(
            "sessions", from: "sessions JOIN sources src ON src.id = sessions.source_id",
            [("src.name", .plain), ("external_id", .plain), ("kind", .plain)]
                + SessionColumns.names.map { ($0, PostgresColumnType.of(column: $0).kind) }
                + [
                    ("first_seen_at", .time), ("last_seen_at", .time), ("updated_at", .time),
                    ("absent_listings", .plain),
                ]),
        .child(
            "participants",
            [
                ("external_id", .plain), ("user_id", .plain), ("display_name", .plain), ("role", .plain),
                ("joined_at", .time), ("left_at", .time), ("duration_seconds", .plain), ("raw", .json),
            ]),
        .child(
            "page_history",
            [("seq", .plain), ("url", .plain), ("visited_at", .time), ("type", .plain), ("duration_ms", .plain)]),
        .child(
            "timeline",
            [
                ("bucket_at", .time), ("event_count", .plain), ("dominant_event_type", .plain),
                ("activity_level", .plain),
            ]
        ),
        .child("event_counts", [("event_type", .plain), ("count", .plain)]),
        .child(
            "messages",
            [
                ("external_id", .plain), ("sender", .plain), ("sent_at", .time), ("content_type", .plain),
                ("body", .plain), ("raw", .json),
            ]),
        .child(
            "transcripts",
            [
                ("seq", .plain), ("spoken_at", .time), ("participant_external_id", .plain), ("speaker", .plain),
                ("text", .plain),
            ]),
        .child("session_metadata", [("key", .plain), ("value", .plain)]),
        .child("session_fingerprints", [("child_sets", .json)]),
        Table("detail_requests", [("source_name", .plain), ("external_id", .plain), ("requested_at", .time)]),
        Table(
            "fetch_queue",
            [
                ("source_id", .plain), ("kind", .plain), ("external_id", .plain), ("version", .plain),
                ("done_version", .plain), ("state", .plain), ("attempts", .plain), ("last_error", .plain),
                ("queued_at", .time), ("last_attempt_at", .time), ("next_attempt_at", .time), ("expires_at", .time),
                ("done_at", .time),
            ]),
        Table("sync_cursors", [("source_id", .plain), ("stream", .plain), ("value", .plain), ("updated_at", .time)]),
        Table(
            "schema_drift",
            [
                ("source_id", .plain), ("endpoint", .plain), ("json_path", .plain), ("expected", .plain),
                ("found_sample", .plain), ("first_seen_at", .time), ("last_seen_at", .time), ("count", .plain),
            ]),
        Table(
            "quarantine",
            [
                ("source_id", .plain), ("endpoint", .plain), ("external_id", .plain), ("reason", .plain),
                ("raw", .json), ("raw_hash", .plain), ("first_seen_at", .time), ("last_seen_at", .time),
                ("count", .plain),
            ]),
        // The digest is keyed with each archive's own random key.
        Table("tombstones", [("source_id", .plain), ("reason", .plain), ("created_at", .time)]),
        Table(
            "retention_state",
            [
                ("source_id", .plain), ("retention_seconds", .plain), ("applied_at", .time), ("cutoff", .time),
                ("sessions_deleted", .plain),
            ]),
    ]

    /// Tables left out on purpose (see ``tables``).
    /// `source_leases` is PostgreSQL's own (several daemons on one archive): SQLite has no counterpart.
    /// `copy_from_sqlite` and `copy_from_sqlite_tables` are `sessionsync copy`'s bookkeeping.
    static let notCompared: Set<String> = [
        "sync_runs", "tombstone_key", "schema_migrations", "source_leases", "copy_from_sqlite",
        "copy_from_sqlite_tables",
    ]

    /// Table name → sorted rows.
    var rows: [String: [[Cell]]] = [:]

    var description: String {
        rows.keys.sorted().map { table in
            "\(table):\n"
                + (rows[table] ?? []).map { "  " + $0.map(\.description).joined(separator: " | ") }
                .joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The tables that differ, with both sides' rows.
    func differences(from other: ArchiveContents) -> String {
        rows.keys.sorted().compactMap { table in
            let mine = rows[table] ?? []
            let theirs = other.rows[table] ?? []
            guard mine != theirs else { return nil }
            let show = { (rows: [[Cell]]) in rows.map { "    " + $0.map(\.description).joined(separator: " | ") } }
            return (["\(table):", "  one:"] + show(mine) + ["  other:"] + show(theirs)).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// The SQLite archive at `path`, its JSON normalized by `server` (jsonb's text).
    static func of(sqlite path: String, normalizingJSONWith server: PostgresClient) async throws -> ArchiveContents {
        let connection = try Connection(path: path, options: Connection.Options(mode: .readOnly))
        var contents = ArchiveContents()
        for table in tables {
            let select = try connection.prepare(
                "SELECT \(table.columns.map(\.expression).joined(separator: ", ")) FROM \(table.from)")
            var read: [[Cell]] = []
            while try select.step() {
                var row: [Cell] = []
                for (index, column) in table.columns.enumerated() {
                    let cell = Cell(select.value(at: Int32(index)))
                    if column.kind == .json, case .text(let json) = cell {
                        row.append(.text(try await normalized(json: json, by: server)))
                    } else {
                        row.append(cell)
                    }
                }
                read.append(row)
            }
            contents.rows[table.name] = read.sorted { $0.description < $1.description }
        }
        return contents
    }

    /// The PostgreSQL archive `client` is connected to.
    static func of(postgres client: PostgresClient) async throws -> ArchiveContents {
        var contents = ArchiveContents()
        for table in tables {
            let expressions = table.columns.map { column in
                switch column.kind {
                case .plain: column.expression
                case .time: PostgresTime.text(column.expression)
                case .json: column.expression + "::text"
                }
            }
            let result = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT \(expressions.joined(separator: ", ")) FROM \(table.from)"),
                logger: quietLogger)
            var read: [[Cell]] = []
            for try await row in result {
                read.append(try row.map(Cell.init))
            }
            contents.rows[table.name] = read.sorted { $0.description < $1.description }
        }
        return contents
    }

    private static func normalized(json: String, by server: PostgresClient) async throws -> String {
        let text = PostgresStoredText.json(json)
        let result = try await server.query("SELECT \(text)::jsonb::text", logger: quietLogger)
        for try await value in result.decode(String.self) { return value }
        return json
    }
}

extension ArchiveContents.Cell {
    init(_ value: SQLiteValue) {
        switch value {
        case .null: self = .null
        case .integer(let integer): self = .integer(integer)
        case .real(let real): self = .real(real)
        case .text(let text): self = .text(text)
        case .blob(let bytes): self = .text(bytes.map { String(format: "%02x", $0) }.joined())
        }
    }

    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int8, .int4, .int2: self = .integer(try cell.decode(Int64.self))
        case .float8, .float4: self = .real(try cell.decode(Double.self))
        default: self = .text(try cell.decode(String.self))
        }
    }
}

extension PostgresColumnType {
    /// How ``ArchiveContents`` reads a column of this type.
    var kind: ArchiveContents.Kind {
        switch self {
        case .timestamptz: .time
        case .jsonb: .json
        default: .plain
        }
    }
}
