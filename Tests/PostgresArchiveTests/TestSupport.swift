import Foundation
import Logging
import PostgresArchive
import PostgresNIO
import SessionSyncTesting

/// The package's root folder, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            return url.path
        }
    }
    return FileManager.default.currentDirectoryPath
}()

let quietLogger = TemporaryPostgresDatabase.quietLogger

/// A running pool on `database` for `body`.
@discardableResult
func withClient<T>(
    _ database: TemporaryPostgresDatabase,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PostgresClient) async throws -> T
) async throws -> T {
    try await withPostgresClient(database.clientConfiguration, logger: quietLogger, body)
}

extension PostgresClient {
    /// Every row of `sql`, each column as text (NULL as nil): queries cast what they select to text.
    func rows(_ sql: String) async throws -> [[String?]] {
        let result = try await query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
        var rows: [[String?]] = []
        for try await row in result {
            rows.append(try row.map { cell in try cell.decode(String?.self) })
        }
        return rows
    }

    /// The one value of `sql`, as text.
    func value(_ sql: String) async throws -> String? {
        try await rows(sql).first?.first ?? nil
    }
}
