import Foundation
import NIOCore
import PostgresArchive
import PostgresNIO
import SQLiteDB
import SessionSyncSupport

// The harness's reading and writing SQL, the same for either archive: a test writes its SQL
// once, with `?` placeholders, in the SQL both dialects share, and the harness runs it on the
// archive it writes to. Every column comes back as the text SQLite would give for it, so that an
// assertion compares the same strings on both.

extension ProviderHarness {
    /// The first column of the first row of `sql`, as an integer (0 without a row or for NULL).
    public func count(_ sql: String, _ values: SQLiteValue...) async throws -> Int {
        guard let text = try await query(sql, values).first?.first ?? nil else { return 0 }
        return Int(text) ?? Double(text).map { Int($0) } ?? 0
    }

    /// The first column of the first row of `sql` (nil without a row, or for NULL).
    public func text(_ sql: String, _ values: SQLiteValue...) async throws -> String? {
        try await query(sql, values).first?.first ?? nil
    }

    /// Every row of `sql`, each column as text (NULL as nil).
    public func rows(_ sql: String, _ values: SQLiteValue...) async throws -> [[String?]] {
        try await query(sql, values)
    }

    /// `json` as the archive gives back a JSON column that stored it: SQLite keeps the text
    /// verbatim, PostgreSQL's jsonb keeps only its meaning (its own key order and spacing), so
    /// there `json` goes through jsonb too. An assertion on a stored JSON text compares with this.
    public func storedJSON(_ json: String?) async throws -> String? {
        guard let json, postgres != nil else { return json }
        return try await text("SELECT CAST(? AS jsonb)", .text(json))
    }

    /// Whether `needle` is anywhere in the archive: in the SQLite file's bytes (and its WAL), or
    /// in any row of any table of the PostgreSQL database, each row read as text. To look for a
    /// secret that must never be stored.
    public func archiveContains(text needle: String) async throws -> Bool {
        guard let postgres else { return try fileBytes().contains(text: needle) }
        let tables = try await Self.postgresRows(
            postgres,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1", []
        ).compactMap { $0[0] }
        for table in tables {
            let sql = "SELECT count(*) FROM \"\(table)\" t WHERE strpos(CAST(t AS text), ?) > 0"
            if try await Self.postgresRows(postgres, sql, [.text(needle)]).first?.first != "0" { return true }
        }
        return false
    }

    /// Runs `sql`, a change a test makes to the archive behind the engine's back.
    public func execute(_ sql: String, _ values: SQLiteValue...) async throws {
        guard let postgres else {
            let statement = try Connection(path: databasePath).prepare(sql)
            try statement.bind(values)
            while try statement.step() {}
            return
        }
        _ = try await Self.postgresRows(postgres, sql, values)
    }

    /// Makes every backed-off queue item due now, as if its backoff had passed: the engine
    /// reads the real clock, so tests move the queue's times instead of waiting.
    public func endBackoffs() async throws {
        try await execute("UPDATE fetch_queue SET next_attempt_at = NULL WHERE state = ?", .text("pending"))
    }

    /// Makes `duration` pass for the fetch queue: its deadlines and retry times move back by it.
    /// Time arithmetic is the one thing the two dialects spell differently.
    public func ageQueue(by duration: Duration) async throws {
        let seconds = duration.components.seconds
        if postgres == nil {
            try await execute(
                """
                UPDATE fetch_queue SET
                    expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', expires_at, '-\(seconds) seconds'),
                    next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', next_attempt_at, '-\(seconds) seconds')
                """)
        } else {
            try await execute(
                """
                UPDATE fetch_queue SET
                    expires_at = expires_at - interval '\(seconds) seconds',
                    next_attempt_at = next_attempt_at - interval '\(seconds) seconds'
                """)
        }
    }

    private func query(_ sql: String, _ values: [SQLiteValue]) async throws -> [[String?]] {
        guard let postgres else {
            let statement = try connection().prepare(sql)
            try statement.bind(values)
            var rows: [[String?]] = []
            while try statement.step() {
                rows.append((0..<statement.columnCount).map { statement.text(at: $0) })
            }
            return rows
        }
        return try await Self.postgresRows(postgres, sql, values)
    }

    private static func postgresRows(
        _ client: PostgresClient, _ sql: String, _ values: [SQLiteValue]
    ) async throws -> [[String?]] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(integer)
            case .real(let real): bindings.append(real)
            // A text parameter takes the type its place in the statement gives it (a time
            // compared with a timestamptz column is read as one), as SQLite's untyped value does.
            case .text(let text): bindings.append(UntypedText(text: text))
            case .blob(let bytes): try bindings.append(Data(bytes))
            }
        }
        do {
            let result = try await client.query(
                PostgresQuery(unsafeSQL: numberedPlaceholders(sql), binds: bindings))
            var rows: [[String?]] = []
            for try await row in result {
                rows.append(try row.map(sqliteText))
            }
            return rows
        } catch let error as PSQLError {
            throw TestQueryError(sql: sql, message: PostgresFailure.serverText(of: error))
        }
    }

    /// `sql` with its `?` placeholders numbered as PostgreSQL's `$1`, `$2` … (not inside quotes).
    static func numberedPlaceholders(_ sql: String) -> String {
        var result = ""
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A PostgreSQL value as SQLite's `sqlite3_column_text` gives the same value in the SQLite
    /// archive: times as ISO-8601 with milliseconds and `Z`, booleans as 0 and 1, reals as
    /// SQLite prints them, jsonb as its text.
    private static func sqliteText(_ cell: PostgresCell) throws -> String? {
        guard cell.bytes != nil else { return nil }
        switch cell.dataType {
        case .int2: return String(try cell.decode(Int16.self))
        case .int4: return String(try cell.decode(Int32.self))
        case .int8: return String(try cell.decode(Int64.self))
        case .float4, .float8: return sqliteText(try cell.decode(Double.self))
        case .bool: return try cell.decode(Bool.self) ? "1" : "0"
        case .numeric: return "\(try cell.decode(Decimal.self))"
        case .timestamptz, .timestamp:
            let date = try cell.decode(Date.self)
            return Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded())).iso8601
        case .bytea: return String(decoding: try cell.decode(Data.self), as: UTF8.self)
        default: return try cell.decode(String.self)
        }
    }

    /// `value` as SQLite writes a REAL as text (`%!.15g`: always a decimal point).
    static func sqliteText(_ value: Double) -> String {
        var text = String(format: "%.15g", value)
        guard value.isFinite, !text.contains(".") else { return text }
        if let exponent = text.firstIndex(of: "e") {
            text.insert(contentsOf: ".0", at: exponent)
        } else {
            text += ".0"
        }
        return text
    }
}

/// A text parameter without a type: PostgreSQL infers it from where it stands.
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}

/// A test's SQL that PostgreSQL refused, with the server's words (a `PSQLError` hides them).
struct TestQueryError: Error, CustomStringConvertible {
    let sql: String
    let message: String

    var description: String {
        "PostgreSQL refused \(sql): \(message)"
    }
}
