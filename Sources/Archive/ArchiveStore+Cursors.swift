import SQLiteDB
import SessionSyncSupport

/// One stored cursor.
public struct CursorRow: Sendable, Equatable {
    public let stream: String
    public let value: String?
    public let updatedAt: String

    public init(stream: String, value: String?, updatedAt: String) {
        self.stream = stream
        self.value = value
        self.updatedAt = updatedAt
    }
}

extension ArchiveStore {
    public func cursors(sourceID: Int64) throws -> [CursorRow] {
        let select = try connection.cachedStatement(
            "SELECT stream, value, updated_at FROM sync_cursors WHERE source_id = ? ORDER BY stream"
        )
        try select.bind(sourceID, at: 1)
        var rows: [CursorRow] = []
        try select.forEachRow { row in
            rows.append(
                CursorRow(stream: row.text(at: 0) ?? "", value: row.text(at: 1), updatedAt: row.text(at: 2) ?? ""))
        }
        return rows
    }

    public func cursor(sourceID: Int64, stream: String) throws -> String? {
        try cursors(sourceID: sourceID).first { $0.stream == stream }?.value
    }

    func setCursor(_ update: CursorUpdate, sourceID: Int64, now: String) throws {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO sync_cursors (source_id, stream, value, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (source_id, stream) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """
        )
        try upsert.bind(sourceID, at: 1)
        try upsert.bind(update.stream, at: 2)
        try upsert.bind(update.value, at: 3)
        try upsert.bind(now, at: 4)
        try upsert.run()
    }

    /// Forgets one cursor (or, with `stream` nil, all of the source's cursors); returns how many.
    public func resetCursors(sourceID: Int64, stream: String?) throws -> Int {
        try connection.transaction(.immediate) {
            let delete: Statement
            if let stream {
                delete = try connection.prepare("DELETE FROM sync_cursors WHERE source_id = ? AND stream = ?")
                try delete.bind(sourceID, at: 1)
                try delete.bind(stream, at: 2)
            } else {
                delete = try connection.prepare("DELETE FROM sync_cursors WHERE source_id = ?")
                try delete.bind(sourceID, at: 1)
            }
            try delete.run()
            return connection.changes
        }
    }
}
