import Foundation
import SQLiteDB

extension ArchiveStore {
    /// The archive's file sizes and recorded checkpoint failures.
    public func vitals() throws -> ArchiveVitals {
        var vitals = ArchiveVitals()
        vitals.databaseBytes = Self.fileSize(connection.path)
        vitals.walBytes = Self.fileSize(connection.path + "-wal")
        let select = try connection.cachedStatement(
            "SELECT kind, count, last_message, last_seen_at FROM wal_checkpoint_failures ORDER BY last_seen_at DESC"
        )
        try select.forEachRow { row in
            vitals.checkpointFailures.append(
                ArchiveVitals.CheckpointFailures(
                    kind: row.text(at: 0) ?? "", count: row.int(at: 1), lastMessage: row.text(at: 2) ?? "",
                    lastSeenAt: row.text(at: 3) ?? ""
                )
            )
        }
        return vitals
    }

    /// Bytes of the file at `path`; 0 when there is none (no WAL after a clean close).
    private static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

}
