import Archive
import PostgresArchive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting

/// One archive a scenario runs against, SQLite or PostgreSQL, with what a scenario needs beyond
/// ``ArchiveBackend``: what a person or another program does to it.
struct ArchiveUnderTest: Sendable {
    let name: String
    let backend: any ArchiveBackend
    let sourceID: Int64
    /// `sessionsync enqueue`: rows in `detail_requests` for the source.
    let requestDetails: @Sendable (_ ids: [String], _ now: Timestamp) async throws -> Void
    /// The ids of the source's quarantined records, oldest first.
    let quarantineIDs: @Sendable () async throws -> [Int64]

    static let sourceName = "test"

    /// A SQLite archive in `directory` and a PostgreSQL one for `body`, each with the source
    /// registered at `now`.
    static func withBoth<T>(
        provider: String = "realtimekit", now: Timestamp,
        _ body: (
            _ sqlite: ArchiveUnderTest, _ postgres: ArchiveUnderTest, _ sqlitePath: String, _ client: PostgresClient
        )
            async throws -> T
    ) async throws -> T {
        try await withTemporaryDirectory { directory in
            let path = directory + "/archive.sqlite"
            let sqlite = try ArchiveDatabase(path: path)
            try await sqlite.ensureSources([(sourceName, provider)], now: now)
            let sqliteSource = try requireSource(try await sqlite.source(named: sourceName))
            let sqliteArchive = ArchiveUnderTest(
                name: "SQLite", backend: sqlite, sourceID: sqliteSource,
                requestDetails: { ids, now in
                    _ = try await sqlite.withStore {
                        try $0.requestDetails(sourceName: sourceName, externalIDs: ids, now: now)
                    }
                },
                quarantineIDs: {
                    try await sqlite.withStore { try $0.quarantinedRecords(sourceID: sqliteSource).map(\.id) }
                })
            return try await withTemporaryPostgresArchive { postgres, client in
                try await postgres.ensureSources([(sourceName, provider)], now: now)
                let postgresSource = try requireSource(try await postgres.source(named: sourceName))
                let postgresArchive = ArchiveUnderTest(
                    name: "PostgreSQL", backend: postgres, sourceID: postgresSource,
                    requestDetails: { ids, now in
                        for id in ids {
                            try await client.query(
                                """
                                INSERT INTO detail_requests (source_name, external_id, requested_at)
                                VALUES (\(sourceName), \(id), \(now.iso8601)::timestamptz)
                                ON CONFLICT (source_name, external_id) DO UPDATE SET requested_at = excluded.requested_at
                                """, logger: quietLogger)
                        }
                    },
                    quarantineIDs: {
                        var ids: [Int64] = []
                        let rows = try await client.query(
                            "SELECT id FROM quarantine WHERE source_id = \(postgresSource) ORDER BY id",
                            logger: quietLogger)
                        for try await id in rows.decode(Int64.self) { ids.append(id) }
                        return ids
                    })
                return try await body(sqliteArchive, postgresArchive, path, client)
            }
        }
    }
}

/// The id of a source that must exist.
private func requireSource(_ row: SourceRow?) throws -> Int64 {
    guard let row else { throw MissingSource() }
    return row.id
}

private struct MissingSource: Error, CustomStringConvertible {
    var description: String { "the source registered a moment ago is missing" }
}
