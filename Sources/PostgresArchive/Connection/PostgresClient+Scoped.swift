import Logging
import PostgresNIO

/// A running `PostgresClient` (connection pool) for `body`, shut down when `body` returns or
/// throws: the pool's connections are closed before this returns.
///
/// A `PostgresClient` leases connections only while its `run()` is under way; here that is a
/// child task, cancelled once `body` is done.
@discardableResult
public func withPostgresClient<T>(
    _ configuration: PostgresClient.Configuration,
    logger: Logger,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self, returning: T.self, isolation: isolation) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
