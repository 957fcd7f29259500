import Foundation
import PostgresArchive
import PostgresNIO
import SessionSyncTesting
import Simulators
import Testing

@Suite("sync and migrate on a PostgreSQL archive, through the binary", .serialized)
struct PostgresSyncTests {
    /// The tables whose rows a pass writes, counted per source in both archives.
    static let counted = [
        "sessions": "SELECT o.name, count(*) FROM sessions s JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "participants":
            "SELECT o.name, count(*) FROM participants c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "messages":
            "SELECT o.name, count(*) FROM messages c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "transcripts":
            "SELECT o.name, count(*) FROM transcripts c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "timeline":
            "SELECT o.name, count(*) FROM timeline c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "session_metadata":
            "SELECT o.name, count(*) FROM session_metadata c JOIN sessions s ON s.id = c.session_id JOIN sources o ON o.id = s.source_id GROUP BY 1",
        "fetch_queue": "SELECT o.name, count(*) FROM fetch_queue q JOIN sources o ON o.id = q.source_id GROUP BY 1",
    ]

    @Test(
        "sync into a PostgreSQL archive archives what a SQLite archive gets from the same upstream, pass after pass with the same counts, until a pass changes nothing"
    )
    func syncIntoPostgres() async throws {
        try await FourSourceFixture.with { fixture in
            let sqliteFirst = try runSessionSync(
                ["sync", "--config", fixture.configPath], environment: FourSourceFixture.keys)
            #expect(sqliteFirst.status == 0, "\(sqliteFirst.stderr)")
            var expected: [String: [String: String]] = [:]
            for (table, sql) in Self.counted {
                expected[table] = Dictionary(
                    uniqueKeysWithValues: try fixture.query(sql).map { ($0[0] ?? "", $0[1] ?? "") })
            }
            #expect(expected["sessions"]?.count == 4, "every source archived something: \(expected)")
            let sqliteSecond = try runSessionSync(
                ["sync", "--config", fixture.configPath], environment: FourSourceFixture.keys)
            #expect(sqliteSecond.status == 0, "\(sqliteSecond.stderr)")

            try await withTemporaryPostgresDatabase { database in
                let config = try Self.config(of: fixture, database: database)
                let environment = Self.environment(FourSourceFixture.keys, database)
                let first = try runSessionSync(["sync", "--config", config], environment: environment)
                #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) {
                    client in
                    for (table, sql) in Self.counted {
                        var found: [String: String] = [:]
                        for row in try await Self.rows(
                            client, sql.replacingOccurrences(of: "count(*)", with: "count(*)::text"))
                        {
                            found[row[0] ?? ""] = row[1] ?? ""
                        }
                        #expect(found == expected[table], "\(table)")
                    }
                }
                let second = try runSessionSync(["sync", "--config", config], environment: environment)
                #expect(second.status == 0, "\(second.stdout)\n\(second.stderr)")
                // The same upstream, the same archive: each pass tells the same counts on both backends
                // (the second revisits the meetings still live, which brings their details).
                #expect(Self.summaries(first.stdout) == Self.summaries(sqliteFirst.stdout))
                #expect(Self.summaries(second.stdout) == Self.summaries(sqliteSecond.stdout))
                let third = try runSessionSync(["sync", "--config", config], environment: environment)
                #expect(third.status == 0, "\(third.stdout)\n\(third.stderr)")
                for (source, line) in Self.summaries(third.stdout) {
                    #expect(
                        line.contains(" 0 new, 0 changed") && line.hasSuffix(" 0 rows written"), "\(source): \(line)")
                }
                #expect(Self.summaries(third.stdout).count == 4)
            }
        }
    }

    @Test(
        "kill -9 of a sync writing to PostgreSQL at any request, then a rerun: exact counts, no duplicates, the dead run interrupted",
        arguments: [3, 14, 40, 90])
    func killNine(at request: Int) async throws {
        try await DaemonFixture.with { fixture in
            try await withTemporaryPostgresDatabase { database in
                var config = DaemonFixture.config(
                    server: fixture.server.baseURL, database: "\(database.location)", every: "1h")
                var environment = fixture.environment
                if let password = database.password {
                    environment["PG_PASSWORD"] = password
                    config = config.replacingOccurrences(
                        of: #""logLevel""#, with: #""databasePassword": {"env": "PG_PASSWORD"}, "logLevel""#)
                }
                let configPath = try writeFile("postgres.json", config, in: fixture.directory)
                let victim = PIDSlot()
                fixture.server.hooks.add { _, number in
                    // Killed before the request is answered: the pass dies between its commits.
                    if number == request { kill(victim.wait(), SIGKILL) }
                }
                let first = try SessionSyncProcess(["sync", "--config", configPath], environment: environment)
                victim.set(first.pid)
                _ = first.waitForExit()
                #expect(first.process.terminationReason == .uncaughtSignal)
                fixture.server.hooks.removeAll()

                let second = try SessionSyncProcess(["sync", "--config", configPath], environment: environment)
                #expect(second.waitForExit() == 0, "\(second.text)")
                let uids = fixture.simulator.uidsNewestFirst
                let messages = uids.reduce(0) { $0 + fixture.simulator.messageCount(of: $1) }
                let (sessions, stored, runs) = try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    (
                        try await Self.rows(
                            client, "SELECT count(*)::text, count(DISTINCT external_id)::text FROM sessions"),
                        try await Self.rows(
                            client,
                            "SELECT count(*)::text, count(DISTINCT (session_id, external_id))::text FROM messages"),
                        try await Self.rows(client, "SELECT status FROM sync_runs ORDER BY id")
                    )
                }
                #expect(sessions == [["\(uids.count)", "\(uids.count)"]])
                #expect(stored == [["\(messages)", "\(messages)"]])
                #expect(runs == [["interrupted"], ["succeeded"]])
            }
        }
    }

    @Test(
        "erase on a PostgreSQL archive deletes and tombstones what erase on SQLite does for the same upstream, a dry run first changing nothing, and no later pass brings the user back"
    )
    func eraseOnPostgres() async throws {
        try await FourSourceFixture.with { fixture in
            let user = "731946285019"
            for _ in 0..<2 {
                fixture.openreplay.startSession { $0.userID = user }
            }
            for uid in fixture.yourgpt.uidsNewestFirst.suffix(2) {
                fixture.yourgpt.setContact(of: uid, to: Int64(user)!)
            }
            let sqliteSync = try runSessionSync(
                ["sync", "--config", fixture.configPath], environment: FourSourceFixture.keys)
            #expect(sqliteSync.status == 0, "\(sqliteSync.stderr)")
            let participantUser = try #require(
                try fixture.query(
                    """
                    SELECT p.user_id FROM participants p JOIN sessions s ON s.id = p.session_id
                    WHERE p.user_id IS NOT NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.session_id = p.session_id
                        AND json_extract(m.raw, '$.participantId') = p.external_id)
                    ORDER BY p.id LIMIT 1
                    """
                ).first?.first ?? nil)
            let erasures = [
                ["erase", "--user", user, "--dry-run"], ["erase", "--user", user],
                ["erase", "--user", participantUser, "--source", "realtimekit"],
            ]
            var expected: [[String]] = []
            for arguments in erasures {
                let result = try runSessionSync(
                    arguments + ["--config", fixture.configPath], environment: FourSourceFixture.keys)
                #expect(result.status == 0, "\(result.stderr)")
                expected.append(Self.counts(result.stdout))
            }
            #expect(expected[1].contains("  sessions            4"), "\(expected[1])")

            try await withTemporaryPostgresDatabase { database in
                let config = try Self.config(of: fixture, database: database)
                let environment = Self.environment(FourSourceFixture.keys, database)
                let sync = try runSessionSync(["sync", "--config", config], environment: environment)
                #expect(sync.status == 0, "\(sync.stderr)")
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    let before = try await ArchiveDigest.of(postgres: client)
                    for (index, arguments) in erasures.enumerated() {
                        let result = try runSessionSync(arguments + ["--config", config], environment: environment)
                        #expect(result.status == 0, "\(result.stderr)")
                        #expect(Self.counts(result.stdout) == expected[index], "\(arguments): \(result.stdout)")
                        if index == 0 {
                            #expect(try await ArchiveDigest.of(postgres: client) == before, "a dry run changes nothing")
                        } else {
                            #expect(result.stdout.contains("VACUUM (FULL)"), "\(result.stdout)")
                        }
                    }
                    let remaining = try await Self.rows(
                        client,
                        """
                        SELECT (SELECT count(*) FROM sessions WHERE user_id = '\(user)')::text,
                            (SELECT count(*) FROM participants WHERE user_id = '\(participantUser)')::text,
                            (SELECT count(*) FROM tombstones WHERE reason = 'erased')::text,
                            (SELECT count(*) FROM sessions)::text
                        """)
                    #expect(remaining.first?.prefix(3) == ["0", "0", "4"], "\(remaining)")
                    let again = try runSessionSync(["sync", "--config", config], environment: environment)
                    #expect(again.status == 0, "\(again.stderr)")
                    let after = try await Self.rows(
                        client,
                        "SELECT (SELECT count(*) FROM sessions WHERE user_id = '\(user)')::text, (SELECT count(*) FROM sessions)::text"
                    )
                    #expect(after == [["0", remaining.first?[3] ?? ""]], "no pass brings the user back")
                }
            }
        }
    }

    @Test(
        "enqueue and reset-cursor on a PostgreSQL archive: ids wait in detail_requests for the next pass, which drains them; a forgotten cursor is written again by it"
    )
    func operatorRequestsOnPostgres() async throws {
        try await FourSourceFixture.with { fixture in
            try await withTemporaryPostgresDatabase { database in
                let config = try Self.config(of: fixture, database: database)
                let environment = Self.environment(FourSourceFixture.keys, database)
                let first = try runSessionSync(["sync", "--config", config], environment: environment)
                #expect(first.status == 0, "\(first.stderr)")
                try await withPostgresClient(
                    database.clientConfiguration, logger: TemporaryPostgresDatabase.quietLogger
                ) { client in
                    let cursors =
                        "SELECT count(*)::text FROM sync_cursors c JOIN sources s ON s.id = c.source_id WHERE s.name = 'yourgpt'"
                    #expect(try await Self.rows(client, cursors) != [["0"]])
                    let reset = try runSessionSync(
                        ["reset-cursor", "--config", config, "--source", "yourgpt"], environment: environment)
                    #expect(reset.status == 0, "\(reset.stderr)")
                    #expect(reset.stdout.contains("yourgpt: forgot 1 cursor(s)"), "\(reset.stdout)")
                    #expect(try await Self.rows(client, cursors) == [["0"]])

                    let ids = ["enqueued-by-hand-1", "enqueued-by-hand-2"]
                    let enqueue = try runSessionSync(
                        ["enqueue", "--config", config, "--source", "isnotai"] + ids, environment: environment)
                    #expect(enqueue.status == 0, "\(enqueue.stderr)")
                    #expect(enqueue.stdout.contains("isnotai: 2 session id(s) queued"), "\(enqueue.stdout)")
                    let waiting = "SELECT external_id FROM detail_requests WHERE source_name = 'isnotai' ORDER BY 1"
                    #expect(try await Self.rows(client, waiting) == ids.map { [$0] })
                    let wrongKind = try runSessionSync(
                        ["enqueue", "--config", config, "--source", "yourgpt", "x"], environment: environment)
                    #expect(wrongKind.status == 78, "\(wrongKind.stderr)")

                    let second = try runSessionSync(["sync", "--config", config], environment: environment)
                    #expect(second.status == 0, "\(second.stderr)")
                    #expect(try await Self.rows(client, waiting).isEmpty, "the pass drained the requests")
                    let queued = try await Self.rows(
                        client,
                        "SELECT external_id FROM fetch_queue WHERE external_id LIKE 'enqueued-by-hand-%' ORDER BY 1")
                    #expect(queued == ids.map { [$0] }, "the pass queued them")
                    #expect(try await Self.rows(client, cursors) != [["0"]], "the pass wrote the cursor again")
                }
            }
        }
    }

    /// The lines of `erase`'s output that count rows (the same on both archives).
    static func counts(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("  ") && !$0.hasPrefix("  the sessions:")
        }
    }

    @Test("migrate --database URL creates the PostgreSQL schema and says so; again, it is up to date")
    func migrate() async throws {
        try await withTemporaryPostgresDatabase { database in
            var environment: [String: String] = [:]
            var arguments = ["migrate", "--database", "\(database.location)"]
            if let password = database.password {
                // A password needs a config's databasePassword: migrate reads it from there.
                environment["PG_PASSWORD"] = password
                let directory = NSTemporaryDirectory() + "sessionsync-migrate-" + UUID().uuidString
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let config = try writeFile(
                    "config.json",
                    #"{"database": "\#(database.location)", "databasePassword": {"env": "PG_PASSWORD"}, "sources": []}"#,
                    in: directory)
                arguments = ["migrate", "--config", config]
            }
            let latest = try PostgresMigrations.migrator().latestVersion
            let first = try runSessionSync(arguments, environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("schema version \(latest) (applied 0001_initial"), "\(first.stdout)")
            let second = try runSessionSync(arguments, environment: environment)
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stdout.contains("schema version \(latest), up to date"), "\(second.stdout)")
        }
    }

    /// Each source's summary line of `sync`, by source.
    static func summaries(_ output: String) -> [String: String] {
        var lines: [String: String] = [:]
        for line in output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            lines[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return lines
    }

    /// `keys` with the database's password, when it has one, where the configs' `databasePassword` reads it.
    static func environment(_ keys: [String: String], _ database: TemporaryPostgresDatabase) -> [String: String] {
        var environment = keys
        if let password = database.password { environment["PG_PASSWORD"] = password }
        return environment
    }

    /// The fixture's config with `database` naming the PostgreSQL database.
    static func config(of fixture: FourSourceFixture, database: TemporaryPostgresDatabase) throws -> String {
        var text = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
        let password = database.password == nil ? "" : #", "databasePassword": {"env": "PG_PASSWORD"}"#
        text = text.replacingOccurrences(
            of: #""database": "\#(fixture.databasePath)""#, with: #""database": "\#(database.location)"\#(password)"#)
        return try writeFile("postgres.json", text, in: fixture.directory)
    }

    static func rows(_ client: PostgresClient, _ sql: String) async throws -> [[String?]] {
        let result = try await client.query(
            PostgresQuery(unsafeSQL: sql), logger: TemporaryPostgresDatabase.quietLogger)
        var rows: [[String?]] = []
        for try await row in result {
            rows.append(try row.map { try $0.decode(String?.self) })
        }
        return rows
    }
}
