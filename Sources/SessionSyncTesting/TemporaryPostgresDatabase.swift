import Foundation
import Logging
import PostgresArchive
import PostgresNIO

/// A fresh, empty database on the tests' PostgreSQL server (``TestPostgres``), for one test.
public struct TemporaryPostgresDatabase: Sendable {
    /// Where it is: the server's URL with this database's name.
    public let location: PostgresLocation
    /// The password for ``location``'s user, if the server wants one.
    public let password: String?

    /// A pool on this database, with the tests' password, of at most
    /// ``maximumPoolConnections`` connections.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration = location.clientConfiguration(password: password)
        configuration.options.maximumConnections = Self.maximumPoolConnections
        return configuration
    }

    /// How many databases of tests may exist at once: the tests run in parallel, and each
    /// database's pool holds connections, which the server has only `max_connections` (100) of.
    static let maximumAtOnce = 8
    /// The connections of one pool: a pass commits one page at a time, and the default (20)
    /// times ``maximumAtOnce`` would exceed the server's `max_connections`.
    public static let maximumPoolConnections = 6

    /// A logger that writes nothing, for postgres-nio's calls in tests.
    public static let quietLogger = Logger(label: "sessionsync.tests.postgres") { _ in SwiftLogNoOpLogHandler() }
}

/// A database of its own for `body` (`CREATE DATABASE test_<random>`), dropped when `body`
/// returns or throws, with any connection still open to it. Waits while
/// ``TemporaryPostgresDatabase/maximumAtOnce`` other tests have theirs.
@discardableResult
public func withTemporaryPostgresDatabase<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (TemporaryPostgresDatabase) async throws -> T
) async throws -> T {
    if TemporaryDatabaseSlots.held {
        return try await withSlot(body)
    }
    await TemporaryDatabaseSlots.shared.acquire()
    do {
        let result = try await TemporaryDatabaseSlots.$held.withValue(true) { try await withSlot(body) }
        await TemporaryDatabaseSlots.shared.release()
        return result
    } catch {
        await TemporaryDatabaseSlots.shared.release()
        throw error
    }
}

/// ``withTemporaryPostgresDatabase(isolation:_:)`` once it may make a database.
private func withSlot<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (TemporaryPostgresDatabase) async throws -> T
) async throws -> T {
    let server = try await TestPostgres.server()
    let password = TestPostgres.password
    let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    try await administer(server, password: password, "CREATE DATABASE \(name)")
    let database = TemporaryPostgresDatabase(location: server.with(database: name), password: password)
    let result: T
    do {
        result = try await body(database)
    } catch {
        try? await administer(server, password: password, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        throw error
    }
    try await administer(server, password: password, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    return result
}

/// Runs `sql` (no values in it but a generated name) on the server's maintenance database.
private func administer(_ server: PostgresLocation, password: String?, _ sql: String) async throws {
    let logger = TemporaryPostgresDatabase.quietLogger
    let connection: PostgresConnection
    do {
        connection = try await PostgresConnection.connect(
            configuration: try server.connectionConfiguration(password: password), id: 1, logger: logger)
    } catch {
        throw PostgresFailure(error, location: server, passwordGiven: password != nil)
    }
    do {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    } catch {
        try? await connection.close()
        throw TestPostgresCommandError(sql: sql, message: PostgresFailure.serverText(of: error))
    }
    try await connection.close()
}

/// A statement on the tests' server failed.
struct TestPostgresCommandError: Error, CustomStringConvertible {
    let sql: String
    let message: String

    var description: String {
        "\(sql) failed on the tests' PostgreSQL server: \(message)"
    }
}

/// The right to have a database of tests (``TemporaryPostgresDatabase/maximumAtOnce`` at once); a
/// test waits for one before it makes its database, and gives it back after dropping it.
private actor TemporaryDatabaseSlots {
    static let shared = TemporaryDatabaseSlots(count: TemporaryPostgresDatabase.maximumAtOnce)

    /// Whether the current task holds a slot already: a test making a second database inside its
    /// first does not wait for another (which could wait forever if every slot's test did so).
    @TaskLocal static var held = false

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(count: Int) {
        free = count
    }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
