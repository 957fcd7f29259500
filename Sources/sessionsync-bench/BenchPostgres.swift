import Foundation
import Logging
import PostgresArchive
import PostgresNIO

/// The PostgreSQL server the benchmark's PostgreSQL rows write to (`--postgres URL` or
/// `--postgres-throwaway`): each sync and each baseline gets a database of its own, created
/// through the server's maintenance database and dropped afterwards.
struct BenchPostgres: Sendable {
    /// The URL given, naming the maintenance database (`postgres`) the others are created from.
    let server: PostgresLocation
    /// `$SESSIONSYNC_BENCH_POSTGRES_PASSWORD`, for a server that wants one (the URL holds none).
    let password: String?

    static let passwordVariable = "SESSIONSYNC_BENCH_POSTGRES_PASSWORD"

    /// postgres-nio's own logging stays out of the benchmark's output.
    static let logger = Logger(label: "sessionsync.bench.postgres") { _ in SwiftLogNoOpLogHandler() }

    init(url: String) throws {
        switch PostgresLocation.parse(url) {
        case .success(let location): server = location
        case .failure(let error): throw BenchError("--postgres: the URL \(error.message)")
        }
        password = ProcessInfo.processInfo.environment[Self.passwordVariable]
    }

    /// A fresh database (`bench_<random>`) for `body`, dropped when `body` returns or throws,
    /// with any connection still open to it.
    func withDatabase<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresLocation) async throws -> T
    ) async throws -> T {
        let name = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer("CREATE DATABASE \(name)")
        let result: T
        do {
            result = try await body(server.with(database: name))
        } catch {
            try? await administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        return result
    }

    /// The server's version, for the benchmark's first line.
    func version() async throws -> String {
        try await withConnection(to: server) { connection in
            try await Self.scalar(connection, "SHOW server_version", as: String.self) ?? "?"
        }
    }

    /// A connection of its own to `location` for `body`, closed afterwards.
    func withConnection<T>(
        to location: PostgresLocation,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try location.connectionConfiguration(password: password), id: 1, logger: Self.logger)
        } catch {
            throw PostgresFailure(error, location: location, passwordGiven: password != nil)
        }
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw BenchError("PostgreSQL at \(location): \(PostgresFailure.serverText(of: error))")
        }
    }

    /// The first column of the first row of `sql` (no values in it, and no NULL in that column),
    /// nil without a row.
    static func scalar<T: PostgresDecodable & Sendable>(
        _ connection: PostgresConnection, _ sql: String, as type: T.Type
    )
        async throws -> T?
    {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(T.self)
        for try await value in rows { return value }
        return nil
    }

    /// Runs `sql` (no values in it but a generated name) on the maintenance database.
    private func administer(_ sql: String) async throws {
        _ = try await withConnection(to: server) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
        }
    }
}
