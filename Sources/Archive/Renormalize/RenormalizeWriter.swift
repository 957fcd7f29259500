import SQLiteDB
import SessionSyncSupport

/// Writes a session mapped again from its stored payloads over its archived row and child rows,
/// comparing with the rows themselves (not the fingerprints a pass keeps): a value that differs
/// is rewritten, an equal one is left alone, so an unchanged archive sees no write at all and a
/// mapping change rewrites exactly the rows it affects.
///
/// Unlike a pass it never inserts a session, never moves `last_seen_at` or the presence count,
/// and never writes an insert-only column (a placeholder only a new row takes).
final class RenormalizeWriter {
    private let childSetWriter: ChildSetWriter
    private var updateSQLByColumns: [UInt32: String] = [:]

    init(childSetWriter: ChildSetWriter) {
        self.childSetWriter = childSetWriter
    }

    /// Writes `record` over session `sessionID`; returns how many rows changed.
    func write(_ record: SessionRecord, sessionID: Int64, now: String, connection: Connection) throws -> Int {
        let columns = record.columns.subtracting(record.insertOnly)
        let update = try connection.cachedStatement(updateSQL(for: columns))
        try update.bind(sessionID, at: 1)
        try update.bind(now, at: 2)
        try update.bind(record.kind.rawValue, at: 3)
        for (offset, column) in SessionColumns.all.enumerated() where columns.contains(column) {
            try update.bind(record.storedValue(of: column), at: Int32(4 + offset))
        }
        try update.run()
        let sessionChanged = connection.changes
        var childRows = 0
        var fingerprints: [(String, JSONOutput)] = []
        for set in record.children {
            let rows = try replaceChangedRows(of: set, sessionID: sessionID, connection: connection)
            childRows += rows
            if rows > 0, !set.isAppend {
                fingerprints.append((set.name, .string(ChildSetFingerprint.of(set))))
            }
        }
        try childSetWriter.recordFingerprints(fingerprints, sessionID: sessionID, connection: connection)
        if childRows > 0 && sessionChanged == 0 {
            // A changed child set is a change of the session, as in a pass.
            let touch = try connection.cachedStatement("UPDATE sessions SET updated_at = ?2 WHERE id = ?1")
            try touch.bind(sessionID, at: 1)
            try touch.bind(now, at: 2)
            try touch.run()
        }
        return max(sessionChanged, childRows > 0 ? 1 : 0) + childRows
    }

    /// Upserts the set's rows that differ from the stored ones and deletes stored rows whose key
    /// the set no longer has.
    private func replaceChangedRows(of set: ChildSet, sessionID: Int64, connection: Connection) throws -> Int {
        let layout = ChildTableLayout.of(set)
        let keyCount = layout.keyColumns.count
        let wanted = ChildTableLayout.storedRows(of: set)
        var positionByKey: [[SQLiteValue]: Int] = [:]
        for (position, row) in wanted.enumerated() { positionByKey[Array(row[..<keyCount])] = position }
        var changed = 0
        let upsert = try connection.cachedStatement(layout.upsertSQL)
        for row in wanted {
            try upsert.bind([.integer(sessionID)] + row)
            try upsert.run()
            changed += connection.changes
        }
        var vanished: [[SQLiteValue]] = []
        let keys = try connection.cachedStatement(layout.selectKeysSQL)
        try keys.bind(sessionID, at: 1)
        try keys.forEachRow { row in
            let key = (0..<Int32(keyCount)).map { row.value(at: $0) }
            if positionByKey[key] == nil { vanished.append(key) }
        }
        let delete = try connection.cachedStatement(layout.deleteSQL)
        for key in vanished {
            try delete.bind([.integer(sessionID)] + key)
            try delete.run()
            changed += connection.changes
        }
        return changed
    }

    /// `UPDATE` of the carried columns that changes the row only when one of them differs.
    private func updateSQL(for columns: SessionColumns) -> String {
        if let sql = updateSQLByColumns[columns.rawValue] { return sql }
        var assignments = ["kind = ?3"]
        var differs = ["kind IS NOT ?3"]
        for (offset, column) in SessionColumns.all.enumerated() where columns.contains(column) {
            let name = SessionColumns.names[offset]
            assignments.append("\(name) = ?\(4 + offset)")
            differs.append("\(name) IS NOT ?\(4 + offset)")
        }
        let sql = """
            UPDATE sessions SET \((assignments + ["updated_at = ?2"]).joined(separator: ", "))
            WHERE id = ?1 AND (\(differs.joined(separator: " OR ")))
            """
        updateSQLByColumns[columns.rawValue] = sql
        return sql
    }
}

extension ChildSet {
    /// Added to the archived rows rather than replacing them (no fingerprint is kept).
    public var isAppend: Bool {
        if case .appendMessages = self { return true }
        return false
    }
}
