import Logging
import PostgresNIO

/// The PostgreSQL archive's SQL on one leased connection, as ``ArchiveStore`` is the SQLite
/// archive's: each extension ports the SQLite store's statements of one concern. It lives for one
/// unit of work (``PostgresArchiveDatabase`` makes it inside a transaction, or on a connection for
/// a read) and must not outlive it: postgres-nio lends the connection only for that closure.
struct PostgresArchiveStore {
    let connection: PostgresConnection
    let logger: Logger
    let caches: PostgresArchiveCaches

    /// Runs `sql` with `parameters` (`$1`, `$2` … in order) and returns its rows. A failure is a
    /// ``PostgresArchiveError`` naming the statement.
    @discardableResult
    func run(_ sql: String, _ parameters: [PostgresParameter] = []) async throws -> [PostgresRow] {
        do {
            var bindings = PostgresBindings(capacity: parameters.count)
            for parameter in parameters { try parameter.append(to: &bindings) }
            return try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                .collect()
        } catch {
            throw PostgresArchiveError(statement: sql, error: error)
        }
    }

    /// How many rows `sql` returned: for a write, `RETURNING 1` counts the rows it changed, as
    /// SQLite's `changes()` does.
    func count(_ sql: String, _ parameters: [PostgresParameter] = []) async throws -> Int {
        try await run(sql, parameters).count
    }

    /// The rows of `sql`, each decoded as `columns`.
    func rows<each Column: PostgresDecodable>(
        _ sql: String, _ parameters: [PostgresParameter] = [], as columns: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        let rows = try await run(sql, parameters)
        do {
            return try rows.map { try $0.decode((repeat each Column).self, context: .default) }
        } catch {
            throw PostgresArchiveError(statement: sql, error: error)
        }
    }

    /// The first column of each row of `sql`.
    func column<Value: PostgresDecodable>(
        _ sql: String, _ parameters: [PostgresParameter] = [], as type: Value.Type
    ) async throws -> [Value] {
        let rows = try await run(sql, parameters)
        do {
            return try rows.map { try $0.decode(Value.self, context: .default) }
        } catch {
            throw PostgresArchiveError(statement: sql, error: error)
        }
    }
}

@available(*, unavailable)
extension PostgresArchiveStore: Sendable {}
