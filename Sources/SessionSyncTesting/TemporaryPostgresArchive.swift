import PostgresArchive
import PostgresNIO

/// A fresh, migrated PostgreSQL archive for `body`, on a database of its own
/// (``withTemporaryPostgresDatabase(isolation:_:)``) with a running pool, both gone when `body`
/// returns or throws. `body` also gets the pool, to read the tables.
@discardableResult
public func withTemporaryPostgresArchive<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PostgresArchiveDatabase, PostgresClient) async throws -> T
) async throws -> T {
    try await withTemporaryPostgresDatabase { database in
        let logger = TemporaryPostgresDatabase.quietLogger
        return try await withPostgresClient(database.clientConfiguration, logger: logger) { client in
            try await PostgresMigrations.migrator().migrate(client, logger: logger)
            let archive = PostgresArchiveDatabase(
                client: client, server: database.location, passwordGiven: database.password != nil, logger: logger)
            return try await body(archive, client)
        }
    }
}
