import Foundation
import SessionSyncTesting
import Testing

@Suite("migrate and status through the binary")
struct SchemaCommandTests {
    static let config = #"""
        {"database": "archive.sqlite", "sources": [
          {"name": "web", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "pk", "apiKey": {"env": "OR_KEY"}},
          {"name": "chat", "provider": "yourgpt", "apiKey": {"env": "YG_KEY"}, "schedule": {"every": "15m"}}
        ]}
        """#

    /// The shipped migrations, `0001_initial` first, as the `migrations/` folder holds them.
    static func migrationNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/migrations")
            .filter { $0.hasSuffix(".sql") }.sorted().map { String($0.dropLast(4)) }
    }

    @Test("migrate creates the schema, prints the version, and is a no-op the second time")
    func migrateTwice() throws {
        try withTemporaryDirectory { directory in
            let database = directory + "/a.sqlite"
            let first = try runSessionSync(["migrate", "--database", database])
            #expect(first.status == 0, "\(first.stderr)")
            let migrations = try Self.migrationNames()
            #expect(
                first.stdout.contains(
                    "schema version \(migrations.count) (applied \(migrations.joined(separator: ", ")))"))
            let second = try runSessionSync(["migrate", "--database", database])
            #expect(second.status == 0)
            #expect(second.stdout.contains("schema version \(migrations.count), up to date"))
        }
    }

    @Test("migrate refuses a database from a newer release and leaves it untouched")
    func newerDatabase() throws {
        try withTemporaryDirectory { directory in
            let database = directory + "/a.sqlite"
            _ = try runSessionSync(["migrate", "--database", database])
            try runSQL(database, "INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01T00:00:00.000Z')")
            let result = try runSessionSync(["migrate", "--database", database])
            #expect(result.status != 0)
            #expect(result.stderr.contains("schema version 999"))
            #expect(result.stderr.contains("newer release"))
        }
    }

    @Test("status on a new archive lists the configured sources as never run, in text and JSON, without secrets")
    func statusOnNewArchive() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("config.json", Self.config, in: directory)
            // status needs no secrets: the variables are deliberately unset.
            let text = try runSessionSync(["status", "--config", file], directory: directory)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("web  [openreplay]"))
            #expect(text.stdout.contains("chat  [yourgpt]  every 15m"))
            #expect(text.stdout.components(separatedBy: "last run:   never").count == 3)
            let json = try runSessionSync(["status", "--config", file, "--json"], directory: directory)
            #expect(json.status == 0)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let sources = try #require(object?["sources"] as? [[String: Any]])
            #expect(sources.map { $0["name"] as? String } == ["web", "chat"])
            #expect(sources.allSatisfy { $0["lastRun"] is NSNull })
            #expect(object?["schemaVersion"] as? Int == (try Self.migrationNames()).count)
            #expect(FileManager.default.fileExists(atPath: directory + "/archive.sqlite"))
        }
    }

    @Test("every subcommand has a useful --help")
    func help() throws {
        for command in ["migrate", "check-config", "status", "erase"] {
            let result = try runSessionSync([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("--config"))
            #expect(result.stdout.contains("--database"))
            #expect(result.stdout.contains("OVERVIEW"))
        }
    }
}

@Suite("enqueue and reset-cursor through the binary")
struct QueueCommandTests {
    static let config = #"""
        {"database": "archive.sqlite", "sources": [
          {"name": "bots", "provider": "isnotai", "apiKey": {"env": "IS_KEY"}},
          {"name": "chat", "provider": "yourgpt", "apiKey": {"env": "YG_KEY"}}
        ]}
        """#

    @Test("enqueue adds the ids to detail_requests for an isnotai source and refuses other providers")
    func enqueue() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("config.json", Self.config, in: directory)
            let result = try runSessionSync(
                ["enqueue", "--config", file, "--source", "bots", "ses_1", "ses_2"], directory: directory)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("2 session id(s) queued"))
            let rows = try readRows(
                directory + "/archive.sqlite",
                "SELECT source_name, external_id FROM detail_requests ORDER BY external_id")
            #expect(rows == [["bots", "ses_1"], ["bots", "ses_2"]])
            let status = try runSessionSync(["status", "--config", file], directory: directory)
            #expect(status.stdout.contains("2 detail request(s) waiting for the next pass"))

            let wrong = try runSessionSync(
                ["enqueue", "--config", file, "--source", "chat", "x"], directory: directory)
            #expect(wrong.status == 78)
            #expect(wrong.stderr.contains("enqueue is for isnotai sources"))
            let unknown = try runSessionSync(
                ["enqueue", "--config", file, "--source", "nope", "x"], directory: directory)
            #expect(unknown.status == 78)
            let none = try runSessionSync(["enqueue", "--config", file, "--source", "bots"], directory: directory)
            #expect(none.status != 0)
        }
    }

    @Test("reset-cursor forgets one stream or all of a source's cursors")
    func resetCursor() throws {
        try withTemporaryDirectory { directory in
            let file = try writeFile("config.json", Self.config, in: directory)
            _ = try runSessionSync(["migrate", "--config", file], directory: directory)
            let database = directory + "/archive.sqlite"
            try runSQL(
                database,
                """
                INSERT INTO sources (id, name, provider, created_at) VALUES (1, 'chat', 'yourgpt', '2026-01-01T00:00:00.000Z');
                INSERT INTO sync_cursors VALUES (1, 'last_message_time', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
                INSERT INTO sync_cursors VALUES (1, 'other', 'x', '2026-11-01T00:00:00.000Z');
                """)
            let one = try runSessionSync(
                ["reset-cursor", "--config", file, "--source", "chat", "--stream", "other"], directory: directory)
            #expect(one.status == 0)
            #expect(try readRows(database, "SELECT stream FROM sync_cursors") == [["last_message_time"]])
            let all = try runSessionSync(["reset-cursor", "--config", file, "--source", "chat"], directory: directory)
            #expect(all.status == 0)
            #expect(all.stdout.contains("forgot 1 cursor(s)"))
            #expect(try readRows(database, "SELECT count(*) FROM sync_cursors") == [["0"]])
        }
    }
}

/// Rows of a query, through the sqlite3 shell as a user would run it.
func readRows(_ database: String, _ sql: String) throws -> [[String]] {
    let output = try sqlite3(database, sql)
    return output.split(separator: "\n").map {
        $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }
}

func runSQL(_ database: String, _ sql: String) throws {
    _ = try sqlite3(database, sql)
}

private func sqlite3(_ database: String, _ sql: String) throws -> String {
    String(
        decoding: try ChildProcess.output(of: "/usr/bin/sqlite3", [database, sql], environment: [:]).output,
        as: UTF8.self)
}
