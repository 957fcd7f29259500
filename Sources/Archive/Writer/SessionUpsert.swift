import SQLiteDB
import SessionSyncSupport

/// Inserts or updates one `sessions` row, leaving `updated_at` alone unless a value changed.
///
/// The statement's `DO UPDATE` sets only the columns the record carries; `updated_at` moves only
/// when one of them (or `kind`) differs from the stored value, while `last_seen_at` always moves.
/// One compiled statement per carried-column set, cached on the connection.
final class SessionUpsert {
    typealias Outcome = SessionWriteOutcome

    struct Result {
        let id: Int64
        let outcome: Outcome
        /// First seen at or after the pass's start: written earlier in this same pass.
        let newInThisPass: Bool
    }

    private var sqlByColumns: [UInt64: String] = [:]

    func upsert(_ record: SessionRecord, sourceID: Int64, now: String, passStartedAt: String, connection: Connection)
        throws -> Result
    {
        let statement = try connection.cachedStatement(sql(for: record.columns, insertOnly: record.insertOnly))
        try statement.bind(sourceID, at: 1)
        try statement.bind(record.externalID, at: 2)
        try statement.bind(record.kind.rawValue, at: 3)
        for (offset, column) in SessionColumns.all.enumerated() {
            try statement.bind(record.storedValue(of: column), at: Int32(4 + offset))
        }
        try statement.bind(now, at: 20)
        try statement.bind(passStartedAt, at: 21)
        defer { statement.reset() }
        // Only the INSERT branch sets the last inserted rowid: comparing timestamps cannot tell a
        // new row from one inserted earlier in the same millisecond.
        connection.lastInsertedRowID = 0
        guard try statement.step() else {
            throw SQLiteError(code: .error, message: "the session upsert returned no row", sql: statement.sql)
        }
        let id = statement.int64(at: 0)
        let outcome: Outcome =
            connection.lastInsertedRowID == id ? .inserted : statement.bool(at: 1) ? .changed : .unchanged
        return Result(id: id, outcome: outcome, newInThisPass: statement.bool(at: 2))
    }

    private func sql(for columns: SessionColumns, insertOnly: SessionColumns) -> String {
        let key = UInt64(columns.rawValue) | UInt64(insertOnly.rawValue) << 32
        if let sql = sqlByColumns[key] { return sql }
        let names = SessionColumns.names
        let updated = columns.subtracting(insertOnly)
        let carried = names.indices.filter { updated.contains(SessionColumns(rawValue: 1 << UInt32($0))) }.map {
            names[$0]
        }
        let compared = ["kind"] + carried
        let assignments = compared.map { "\($0) = excluded.\($0)" }
        let changed = compared.map { "sessions.\($0) IS NOT excluded.\($0)" }.joined(separator: " OR ")
        let sql = """
            INSERT INTO sessions (
                source_id, external_id, kind, \(names.joined(separator: ", ")),
                first_seen_at, last_seen_at, updated_at, absent_listings
            ) VALUES (?1, ?2, ?3, \((4...19).map { "?\($0)" }.joined(separator: ", ")), ?20, ?20, ?20, 0)
            ON CONFLICT (source_id, external_id) DO UPDATE SET
                \((assignments + ["last_seen_at = excluded.last_seen_at"]).joined(separator: ",\n    "))
                , absent_listings = 0
                , updated_at = CASE WHEN \(changed) THEN excluded.updated_at ELSE sessions.updated_at END
            RETURNING id, updated_at = ?20, first_seen_at >= ?21
            """
        sqlByColumns[key] = sql
        return sql
    }
}
