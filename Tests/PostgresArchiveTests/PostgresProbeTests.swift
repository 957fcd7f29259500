import Foundation
import PostgresArchive
import SessionSyncTesting
import Testing

@Suite("Probing a PostgreSQL archive: connected, or why not in an operator's words")
struct PostgresProbeTests {
    @Test("a reachable database answers with the server's version and the archive's schema version")
    func answers() async throws {
        try await withTemporaryPostgresDatabase { database in
            let probe = PostgresProbe(location: database.location, password: database.password)
            let before = try await probe.run(logger: quietLogger).get()
            #expect(before.serverVersion.first?.isNumber == true, "\(before.serverVersion)")
            #expect(before.schemaVersion == 0)
            try await withClient(database) { client in
                try await PostgresMigrations.migrator().migrate(client, logger: quietLogger)
            }
            let after = try await probe.run(logger: quietLogger).get()
            #expect(after.schemaVersion == (try PostgresMigrations.migrator().latestVersion))
        }
    }

    @Test("a database that does not exist is named, with how to create it")
    func missingDatabase() async throws {
        let server = try await TestPostgres.server()
        let location = server.with(database: "no_such_archive_\(UUID().uuidString.prefix(8).lowercased())")
        let failure = try #require(
            await failure(of: PostgresProbe(location: location, password: TestPostgres.password)))
        #expect(failure.kind == .databaseMissing)
        #expect(failure.isConfigProblem)
        #expect(failure.message.contains("has no database \(location.database)"), "\(failure)")
        #expect(failure.message.contains("createdb"), "\(failure)")
    }

    @Test("a user the server does not know is refused as an authentication failure, the password never shown")
    func unknownUser() async throws {
        let server = try await TestPostgres.server()
        let location = PostgresLocation(
            user: "nobody_\(UUID().uuidString.prefix(8).lowercased())", host: server.host, port: server.port,
            database: server.database, sslMode: server.sslMode)
        let failure = try #require(await failure(of: PostgresProbe(location: location, password: "pg-Canary-77")))
        #expect(failure.kind == .authentication, "\(failure)")
        #expect(failure.isConfigProblem)
        #expect(failure.message.contains(location.user), "\(failure)")
        #expect(!failure.message.contains("pg-Canary-77"))
    }

    @Test("nothing listening at the port is unreachable, not a config problem")
    func unreachable() async throws {
        let location = PostgresLocation(
            user: "sync", host: "127.0.0.1", port: 1, database: "archive", sslMode: .disable)
        let failure = try #require(await failure(of: PostgresProbe(location: location, password: nil)))
        #expect(failure.kind == .unreachable, "\(failure)")
        #expect(!failure.isConfigProblem)
        #expect(failure.message.contains("cannot connect to PostgreSQL at 127.0.0.1:1"), "\(failure)")
        #expect(failure.message.contains("refused"), "\(failure)")
    }

    @Test("sslmode=require against a server without TLS says so")
    func serverWithoutTLS() async throws {
        let server = try await TestPostgres.server()
        let location = PostgresLocation(
            user: server.user, host: server.host, port: server.port, database: server.database, sslMode: .require)
        let failure = try #require(
            await failure(of: PostgresProbe(location: location, password: TestPostgres.password)))
        #expect(failure.kind == .tls, "\(failure)")
        #expect(failure.message.contains("does not accept TLS"), "\(failure)")
    }

    private func failure(of probe: PostgresProbe) async -> PostgresFailure? {
        switch await probe.run(logger: quietLogger) {
        case .success(let answer):
            Issue.record("the probe of \(probe.location) succeeded: \(answer)")
            return nil
        case .failure(let failure):
            return failure
        }
    }
}
