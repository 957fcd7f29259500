import Foundation
import Testing

@Suite("migrate and status through the binary")
struct SchemaCommandTests {
    static let config = #"""
        {"database": "archive.sqlite", "sources": [
          {"name": "web", "provider": "openreplay", "baseURL": "https://or.example.com", "projectKey": "pk", "apiKey": {"env": "OR_KEY"}},
          {"name": "chat", "provider": "yourgpt", "apiKey": {"env": "YG_KEY"}, "schedule": {"every": "15m"}}
        ]}
        """#

    @Test("migrate creates the schema, prints the version, and is a no-op the second time")
    func migrateTwice() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path + "/a.sqlite"
        let first = try runSessionSync(["migrate", "--database", database])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("schema version 2 (applied 0001_initial, 0002_run_commit_timing)"))
        let second = try runSessionSync(["migrate", "--database", database])
        #expect(second.status == 0)
        #expect(second.stdout.contains("schema version 2, up to date"))
    }

    @Test("migrate refuses a database from a newer release and leaves it untouched")
    func newerDatabase() throws {
        let directory = try TemporaryDirectory()
        let database = directory.path + "/a.sqlite"
        _ = try runSessionSync(["migrate", "--database", database])
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [database, "INSERT INTO schema_migrations VALUES (999, 'future', '2099-01-01T00:00:00.000Z')"]
        try sqlite.run()
        sqlite.waitUntilExit()
        let result = try runSessionSync(["migrate", "--database", database])
        #expect(result.status != 0)
        #expect(result.stderr.contains("schema version 999"))
        #expect(result.stderr.contains("newer release"))
    }

    @Test("status on a new archive lists the configured sources as never run, in text and JSON, without secrets")
    func statusOnNewArchive() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("config.json", Self.config)
        // status needs no secrets: the variables are deliberately unset.
        let text = try runSessionSync(["status", "--config", file], directory: directory.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("web  [openreplay]"))
        #expect(text.stdout.contains("chat  [yourgpt]  every 15m"))
        #expect(text.stdout.components(separatedBy: "last run:   never").count == 3)
        let json = try runSessionSync(["status", "--config", file, "--json"], directory: directory.path)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let sources = try #require(object?["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["web", "chat"])
        #expect(sources.allSatisfy { $0["lastRun"] is NSNull })
        #expect(object?["schemaVersion"] as? Int == 2)
        #expect(FileManager.default.fileExists(atPath: directory.path + "/archive.sqlite"))
    }

    @Test("every subcommand has a useful --help")
    func help() throws {
        for command in ["migrate", "check-config", "status"] {
            let result = try runSessionSync([command, "--help"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("--config"))
            #expect(result.stdout.contains("--database"))
            #expect(result.stdout.contains("OVERVIEW"))
        }
    }
}
