import Foundation
import PostgresArchive
import PostgresNIO
import SessionSyncTesting
import Testing

/// `sessionsync copy --from FILE --to URL` through the binary, from a demo archive into a fresh
/// PostgreSQL database of its own.
@Suite("copy moves a SQLite archive into PostgreSQL, resumably, and verifies it", .serialized)
struct CopyCommandTests {
    @Test("copy from a demo archive gives equal row counts and digests for every table, exit 0")
    func copyDemo() async throws {
        try await Self.withDemoArchive { demo, directory in
            try await withTemporaryPostgresDatabase { database in
                let (arguments, environment) = try Self.copy(demo, to: database, in: directory)
                let result = try runSessionSync(arguments, environment: environment)
                #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
                #expect(Self.verdicts(result.stdout).count == CopiedTable.all.count, "\(result.stdout)")
                #expect(Self.verdicts(result.stdout).allSatisfy { $0 == "equal" }, "\(result.stdout)")
                #expect(result.stdout.contains("  sessions: "), "\(result.stdout)")
                // A daemon inserting after the copy gets ids past the copied ones.
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) {
                    client in
                    let next = try await Self.value(
                        client,
                        "SELECT (nextval(pg_get_serial_sequence('sessions', 'id')) > max(id))::text FROM sessions")
                    #expect(next == "true")
                }
                // Running it again verifies the finished copy and writes nothing.
                let again = try runSessionSync(arguments, environment: environment)
                #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
                #expect(again.stdout.contains("finished at"), "\(again.stdout)")
                #expect(Self.verdicts(again.stdout).allSatisfy { $0 == "equal" }, "\(again.stdout)")
            }
        }
    }

    @Test("kill -9 in the middle of a copy, then the same command: it continues, no row twice, equal digests")
    func resumeAfterKill() async throws {
        try await Self.withDemoArchive { demo, directory in
            try await withTemporaryPostgresDatabase { database in
                let (arguments, environment) = try Self.copy(demo, to: database, in: directory)
                // One row per transaction: the copy of sessions takes many commits. It is killed once it
                // told that sources were copied, so some work is committed and most is not.
                let first = try SessionSyncProcess(arguments + ["--chunk-rows", "1"], environment: environment)
                #expect(first.waitFor("  sources: "), "\(first.text)")
                first.signal(SIGKILL)
                _ = first.waitForExit()
                #expect(first.process.terminationReason == .uncaughtSignal)
                #expect(!first.text.contains("verifying"), "the copy was over before the kill: \(first.text)")

                // Until the copy is finished, nothing may write to the half-copied archive.
                let password = database.password == nil ? "" : #""databasePassword": {"env": "PG_PASSWORD"}, "#
                let config = try writeFile(
                    "sync.json",
                    #"{"database": "\#(database.location)", \#(password)"sources": [{"name": "chat", "provider": "yourgpt", "baseURL": "http://127.0.0.1:9", "apiKey": {"env": "YG_KEY"}}]}"#,
                    in: directory)
                var syncEnvironment = ["YG_KEY": "k"]
                if let secret = database.password { syncEnvironment["PG_PASSWORD"] = secret }
                let refused = try runSessionSync(["sync", "--config", config], environment: syncEnvironment)
                #expect(refused.status == 78, "\(refused.stdout)\n\(refused.stderr)")
                #expect(
                    refused.stderr.contains("that has not finished; run `sessionsync copy --from"), "\(refused.stderr)")

                let second = try runSessionSync(arguments, environment: environment)
                #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
                #expect(second.stdout.contains("continuing the copy of"), "\(second.stdout)")
                #expect(second.stdout.contains("by an earlier run)"), "\(second.stdout)")
                #expect(Self.verdicts(second.stdout).count == CopiedTable.all.count, "\(second.stdout)")
                #expect(Self.verdicts(second.stdout).allSatisfy { $0 == "equal" }, "\(second.stdout)")
            }
        }
    }

    @Test("a target holding an archive this copy did not write is refused with exit 78 and left as it was")
    func refusesForeignTarget() async throws {
        try await Self.withDemoArchive { demo, directory in
            try await withTemporaryPostgresDatabase { database in
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) {
                    client in
                    try await PostgresMigrations.migrator().migrate(
                        client, logger: TemporaryPostgresDatabase.quietLogger)
                    try await client.query(
                        "INSERT INTO sources (name, provider, created_at) VALUES ('chat', 'yourgpt', now())")
                }
                let (arguments, environment) = try Self.copy(demo, to: database, in: directory)
                let result = try runSessionSync(arguments, environment: environment)
                #expect(result.status == 78, "\(result.stdout)\n\(result.stderr)")
                #expect(
                    result.stderr.contains("already holds an archive that this copy did not write (rows in sources)"),
                    "\(result.stderr)")
                #expect(result.stderr.contains("copy into an empty database"), "\(result.stderr)")
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) {
                    client in
                    let sources = try await Self.value(client, "SELECT count(*)::text FROM sources")
                    let copies = try await Self.value(client, "SELECT count(*)::text FROM copy_from_sqlite")
                    #expect(sources == "1")
                    #expect(copies == "0")
                }
            }
        }
    }

    // MARK: Support

    /// A demo archive (`sessionsync demo --once` in a folder of its own) for `body`.
    static func withDemoArchive(_ body: (String, String) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let demo = try runSessionSync(["demo", "--once"], directory: directory)
            try #require(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
            try await body(directory + "/demo.sqlite", directory)
        }
    }

    /// The copy's arguments and environment: a config that gives the password only when the test
    /// server wants one (else no config at all: none is found, so none is needed).
    static func copy(_ file: String, to database: TemporaryPostgresDatabase, in directory: String) throws
        -> ([String], [String: String])
    {
        var arguments = ["copy", "--from", file, "--to", "\(database.location)"]
        var environment: [String: String] = [:]
        if let password = database.password {
            environment["PG_PASSWORD"] = password
            let config = """
                {"database": "\(database.location)", "databasePassword": {"env": "PG_PASSWORD"}, "sources": []}
                """
            arguments += ["--config", try writeFile("copy.json", config, in: directory)]
        }
        return (arguments, environment)
    }

    /// The last word of each line of the verification table: `equal` or `DIFFERS`.
    static func verdicts(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            let last = line.split(separator: " ").last.map(String.init)
            return last == "equal" || last == "DIFFERS" ? last : nil
        }
    }

    static func value(_ client: PostgresClient, _ sql: String) async throws -> String? {
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql)) {
            return try row.decode(String?.self)
        }
        return nil
    }
}
