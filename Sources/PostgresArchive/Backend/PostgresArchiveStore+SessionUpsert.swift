import Archive
import SessionSyncSupport

/// One `sessions` row inserted or updated, as `SessionUpsert` writes it in SQLite: the
/// `DO UPDATE` sets only the columns the record carries (insert-only ones are written by the
/// insert alone), `last_seen_at` always moves, and `updated_at` only when a carried column or
/// `kind` differs from the stored value (`IS DISTINCT FROM`, SQLite's `IS NOT`).
extension PostgresArchiveStore {
    struct UpsertResult {
        let id: Int64
        let outcome: SessionWriteOutcome
        /// First seen at or after the pass's start: written earlier in this same pass.
        let newInThisPass: Bool
    }

    func upsert(_ record: SessionRecord, sourceID: Int64, now: Timestamp, passStartedAt: Timestamp) async throws
        -> UpsertResult
    {
        let sql = upsertSQL(columns: record.columns, insertOnly: record.insertOnly)
        var parameters: [PostgresParameter] = [.int(sourceID), .text(record.externalID), .text(record.kind.rawValue)]
        for (column, name) in zip(SessionColumns.all, SessionColumns.names) {
            parameters.append(.stored(record.storedValue(of: column), PostgresColumnType.of(column: name)))
        }
        parameters += [.time(now), .time(passStartedAt)]
        // `xmax = 0` only on a row this statement inserted: the version an ON CONFLICT update
        // writes holds the id of the transaction that locked the row for it (also a row inserted
        // earlier in this transaction). Comparing timestamps could not tell a new row from one
        // inserted in the same millisecond.
        guard
            let (id, inserted, changed, newInThisPass) = try await rows(
                sql, parameters, as: (Int64, Bool, Bool, Bool).self
            ).first
        else {
            throw PostgresArchiveError(statement: sql, message: "the session upsert returned no row", sqlState: nil)
        }
        return UpsertResult(
            id: id, outcome: inserted ? .inserted : changed ? .changed : .unchanged, newInThisPass: newInThisPass)
    }

    /// The statement for records carrying `columns`, of which `insertOnly` only on insert: $1
    /// source, $2 external id, $3 kind, $4 … $19 the columns in ``SessionColumns/names`` order,
    /// $20 now, $21 the pass's start. One text per carried-column set, made once.
    func upsertSQL(columns: SessionColumns, insertOnly: SessionColumns) -> String {
        let key = UInt64(columns.rawValue) | UInt64(insertOnly.rawValue) << 32
        return caches.upsertSQL(for: key) { Self.makeUpsertSQL(columns: columns, insertOnly: insertOnly) }
    }

    private static func makeUpsertSQL(columns: SessionColumns, insertOnly: SessionColumns) -> String {
        let names = SessionColumns.names
        let updated = columns.subtracting(insertOnly)
        let carried = zip(SessionColumns.all, names).filter { updated.contains($0.0) }.map(\.1)
        let compared = ["kind"] + carried
        let values = names.enumerated().map { "$\($0.offset + 4)\(PostgresColumnType.of(column: $0.element).cast)" }
        let assignments = compared.map { "\($0) = excluded.\($0)" }
        let changed = compared.map { "sessions.\($0) IS DISTINCT FROM excluded.\($0)" }.joined(separator: " OR ")
        return """
            INSERT INTO sessions (
                source_id, external_id, kind, \(names.joined(separator: ", ")),
                first_seen_at, last_seen_at, updated_at, absent_listings
            ) VALUES (
                $1, $2, $3, \(values.joined(separator: ", ")),
                $20::timestamptz, $20::timestamptz, $20::timestamptz, 0
            )
            ON CONFLICT (source_id, external_id) DO UPDATE SET
                \((assignments + ["last_seen_at = excluded.last_seen_at"]).joined(separator: ",\n    "))
                , absent_listings = 0
                , updated_at = CASE WHEN \(changed) THEN excluded.updated_at ELSE sessions.updated_at END
            RETURNING id, xmax = 0, updated_at = $20::timestamptz, first_seen_at >= $21::timestamptz
            """
    }
}
