import Foundation
import SQLiteDB
import SessionSyncSupport
import Simulators
import Testing

@Suite("renormalize through the binary", .serialized)
struct RenormalizeTests {
    /// Every table and column of the contract with what `renormalize` may change left out:
    /// `sessions.updated_at`, which moves for the sessions it rewrites.
    static let contractTables = [
        "sessions":
            "SELECT id, source_id, external_id, kind, status, title, user_id, started_at, ended_at, duration_seconds, country, device_type, os, browser, browser_version, url, bot_score, metadata, raw, detail_raw, first_seen_at, last_seen_at, absent_listings FROM sessions ORDER BY id",
        "participants": "SELECT * FROM participants ORDER BY id",
        "page_history": "SELECT * FROM page_history ORDER BY session_id, seq",
        "timeline": "SELECT * FROM timeline ORDER BY session_id, bucket_at",
        "event_counts": "SELECT * FROM event_counts ORDER BY session_id, event_type",
        "messages": "SELECT * FROM messages ORDER BY id",
        "transcripts": "SELECT * FROM transcripts ORDER BY id",
        "session_metadata": "SELECT * FROM session_metadata ORDER BY session_id, key",
        "session_fingerprints": "SELECT * FROM session_fingerprints ORDER BY session_id",
        "fetch_queue": "SELECT * FROM fetch_queue ORDER BY 1",
        "sync_cursors": "SELECT * FROM sync_cursors ORDER BY 1, 2",
        "quarantine": "SELECT * FROM quarantine ORDER BY id",
        "schema_drift": "SELECT * FROM schema_drift ORDER BY id",
        "updated_at": "SELECT id, updated_at FROM sessions ORDER BY id",
    ]

    @Test(
        "on an unchanged archive, renormalize changes no byte of any table (updated_at included; a session ended by presence stays ended) and sends no request"
    )
    func unchangedArchive() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            // A web session ended by presence (gone from two listings), while its payload still says live.
            let gone = try #require(try fixture.archivedIDs(.openreplay).first)
            #expect(fixture.openreplay.endSession(gone) != nil)
            for _ in 0..<2 {
                let pass = try fixture.sync()
                #expect(pass.waitForExit() == 0, "\(pass.text)")
            }
            #expect(try fixture.archivedIDs(.openreplay, where: "s.status = 'ended'") == [gone])
            let before = try Self.everyTable(fixture)
            #expect(before["sessions"]?.isEmpty == false)
            Self.clearRequestLogs(fixture)

            let result = try Self.renormalize(fixture)
            #expect(result.status == 0, "\(result.stderr)")
            for source in FourSourceFixture.Provider.allCases {
                let line = try #require(Self.summary(of: source, in: result.stdout), "\(result.stdout)")
                #expect(line.hasSuffix(" 0 changed, 0 row(s) rewritten"), "\(line)")
                #expect(!line.contains(": 0 session(s) read"), "\(line)")
            }
            let after = try Self.everyTable(fixture)
            for (table, rows) in before {
                #expect(Self.differences(rows, after[table] ?? []) == [], "\(table) changed")
            }
            #expect(Self.requestCount(fixture) == 0)
        }
    }

    @Test(
        "after derived columns are NULLed and child rows deleted by SQL, renormalize restores them byte for byte from the stored payloads, without a request"
    )
    func restoresDerivedRows() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            let before = try Self.contract(fixture)
            // Something in every table renormalize re-derives, so that a table left out would fail.
            for table in ["participants", "page_history", "timeline", "event_counts", "messages", "session_metadata"] {
                #expect(before[table]?.isEmpty == false, "the fixture archives no \(table)")
            }
            let connection = try Connection(path: fixture.databasePath)
            try connection.execute(
                """
                UPDATE sessions SET title = NULL, user_id = NULL, started_at = NULL, country = NULL, os = NULL,
                    browser = NULL, url = NULL, bot_score = NULL, metadata = '{}', kind = 'web';
                UPDATE participants SET display_name = NULL, role = NULL, joined_at = NULL, duration_seconds = NULL;
                UPDATE messages SET body = NULL, sender = NULL, sent_at = NULL;
                DELETE FROM session_metadata;
                DELETE FROM page_history;
                DELETE FROM timeline;
                DELETE FROM event_counts;
                """
            )
            let damagedAt = Timestamp.now().iso8601
            Self.clearRequestLogs(fixture)

            let result = try Self.renormalize(fixture)
            #expect(result.status == 0, "\(result.stderr)")
            let after = try Self.contract(fixture)
            for (table, rows) in before where table != "updated_at" {
                #expect(Self.differences(rows, after[table] ?? []) == [], "\(table) is not restored as it was")
            }
            // Every session was damaged, so every session's updated_at moved, to a time after the damage.
            let moved = (after["updated_at"] ?? []).filter { ($0[1] ?? "") >= damagedAt }
            #expect(moved.count == before["updated_at"]?.count)
            #expect(Self.requestCount(fixture) == 0)
            // The full-text index followed the restored bodies.
            try connection.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
            let indexed = try fixture.query("SELECT count(*) FROM messages_fts")
            #expect(indexed == (try fixture.query("SELECT count(*) FROM messages")))
        }
    }

    @Test(
        "a changed mapping (a stored payload that now maps to another value) rewrites exactly the affected rows, and moves updated_at of their sessions only"
    )
    func rewritesExactlyTheAffectedRows() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            // One web session whose title, and one participant whose name, the mapping now reads differently.
            let session = try #require(try fixture.archivedIDs(.openreplay).first)
            let participant = try #require(
                try fixture.query("SELECT id, session_id FROM participants ORDER BY id LIMIT 1").first)
            let connection = try Connection(path: fixture.databasePath)
            try connection.execute(
                """
                UPDATE sessions SET raw = json_set(raw, '$.pageTitle', 'Renamed page')
                WHERE external_id = '\(session)' AND source_id = (SELECT id FROM sources WHERE name = 'openreplay');
                UPDATE participants SET raw = json_set(raw, '$.display_name', 'Renamed person') WHERE id = \(participant[0]!);
                """
            )
            let before = try Self.contract(fixture)

            let result = try Self.renormalize(fixture)
            #expect(result.status == 0, "\(result.stderr)")
            // The session's row; the participant's row and its session's updated_at.
            #expect(
                Self.summary(of: .openreplay, in: result.stdout)?.hasSuffix(" 1 changed, 1 row(s) rewritten") == true)
            #expect(
                Self.summary(of: .realtimekit, in: result.stdout)?.hasSuffix(" 1 changed, 2 row(s) rewritten") == true)
            #expect(Self.summary(of: .isnotai, in: result.stdout)?.hasSuffix(" 0 changed, 0 row(s) rewritten") == true)
            #expect(Self.summary(of: .yourgpt, in: result.stdout)?.hasSuffix(" 0 changed, 0 row(s) rewritten") == true)
            let after = try Self.contract(fixture)
            for table in ["page_history", "timeline", "event_counts", "messages", "transcripts", "session_metadata"] {
                #expect(Self.differences(before[table] ?? [], after[table] ?? []) == [], "\(table) changed")
            }
            #expect(
                try fixture.query(
                    "SELECT title FROM sessions WHERE external_id = '\(session)' AND kind = 'web'") == [
                        ["Renamed page"]
                    ])
            #expect(
                try fixture.query("SELECT display_name FROM participants WHERE id = \(participant[0]!)")
                    == [["Renamed person"]])
            let changedSessions = Set(
                zip(before["updated_at"] ?? [], after["updated_at"] ?? []).filter { $0 != $1 }.map { $0.0[0] ?? "" })
            let webSession = try #require(
                try fixture.query("SELECT id FROM sessions WHERE external_id = '\(session)' AND kind = 'web'").first?[0]
                    ?? nil)
            #expect(changedSessions == [webSession, participant[1]!])
            let changedRows = zip(before["sessions"] ?? [], after["sessions"] ?? []).filter { $0 != $1 }
            #expect(changedRows.map { $0.1[0] ?? "" } == [webSession], "only the renamed session's row")
            let changedParticipants = zip(before["participants"] ?? [], after["participants"] ?? []).filter { $0 != $1 }
            #expect(changedParticipants.map { $0.1[0] ?? "" } == [participant[0]!])
        }
    }

    @Test(
        "a quarantined record that maps now is archived with the work a pass would queue for it; one that still does not map, and records sharing an id, stay"
    )
    func retriesQuarantine() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            let endpoint = "POST /chatbot/v1/getSessions"
            let connection = try Connection(path: fixture.databasePath)
            try connection.execute(
                """
                INSERT INTO quarantine (source_id, endpoint, external_id, reason, raw, raw_hash, first_seen_at, last_seen_at, count)
                SELECT source_id, '\(endpoint)', 'recovered-1', 'as an earlier release saw it', json_set(raw, '$.session_uid', 'recovered-1'),
                    'h1', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1
                FROM sessions WHERE source_id = (SELECT id FROM sources WHERE name = 'yourgpt') ORDER BY id LIMIT 1;
                INSERT INTO quarantine (source_id, endpoint, external_id, reason, raw, raw_hash, first_seen_at, last_seen_at, count)
                SELECT id, '\(endpoint)', NULL, 'no session_uid', '{"state": "open"}', 'h2',
                    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1 FROM sources WHERE name = 'yourgpt';
                INSERT INTO quarantine (source_id, endpoint, external_id, reason, raw, raw_hash, first_seen_at, last_seen_at, count)
                SELECT source_id, '\(endpoint)', 'twice', 'shared id', json_set(raw, '$.session_uid', 'twice', '$.state', x), 'h' || x,
                    '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1
                FROM sessions, (SELECT 'a' AS x UNION SELECT 'b') WHERE source_id = (SELECT id FROM sources WHERE name = 'yourgpt')
                    AND sessions.id = (SELECT min(id) FROM sessions WHERE source_id = (SELECT id FROM sources WHERE name = 'yourgpt'));
                """
            )
            #expect(try fixture.query("SELECT count(*) FROM quarantine") == [["4"]])

            let result = try Self.renormalize(fixture)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(
                result.stdout.contains("quarantine: 4 record(s) re-tried, 1 archived, 1 still unmappable, 2 left"),
                "\(result.stdout)")
            #expect(try fixture.archivedIDs(.yourgpt, where: "s.external_id = 'recovered-1'") == ["recovered-1"])
            #expect(try fixture.archivedIDs(.yourgpt, where: "s.external_id = 'twice'").isEmpty)
            #expect(
                try fixture.query("SELECT kind, state FROM fetch_queue WHERE external_id = 'recovered-1'")
                    == [["messages", "pending"]])
            #expect(
                try fixture.query("SELECT coalesce(external_id, '-') FROM quarantine ORDER BY id") == [
                    ["-"], ["twice"], ["twice"],
                ])
        }
    }

    @Test("renormalize --source renormalizes that source only; an unknown source exits 78")
    func oneSource() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            let result = try runSessionSync(
                ["renormalize", "--config", fixture.configPath, "--source", "yourgpt"], environment: [:])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.summary(of: .yourgpt, in: result.stdout) != nil, "\(result.stdout)")
            #expect(!result.stdout.contains("openreplay"), "\(result.stdout)")
            // Through a pipe there is no progress line: no cursor movement in what a log would keep.
            #expect(!result.stderr.contains("\u{1B}["), "\(result.stderr)")
            let unknown = try runSessionSync(
                ["renormalize", "--config", fixture.configPath, "--source", "nosuch"], environment: [:])
            #expect(unknown.status == 78, "\(unknown.stderr)")
        }
    }

    @Test("on a terminal, renormalize shows the sessions done of the total while it works, then clears the line")
    func progressOnATerminal() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            let total = try fixture.archivedIDs(.yourgpt).count
            // util-linux's script(1) runs the command on a pseudo-terminal of its own.
            let command = "'\(sessionsyncBinary)' renormalize --config '\(fixture.configPath)' --source yourgpt"
            let (status, printed) = try ChildProcess.output(
                of: "/usr/bin/script", ["-qec", command, "/dev/null"], environment: [:])
            let text = String(decoding: printed, as: UTF8.self)
            #expect(status == 0, "\(text)")
            #expect(text.contains("\ryourgpt: 0 of \(total) sessions\u{1B}[K"), "\(text.debugDescription)")
            #expect(text.contains("\ryourgpt: \(total) of \(total) sessions\u{1B}[K"), "\(text.debugDescription)")
            #expect(text.contains("\r\u{1B}[Kyourgpt: \(total) session(s) read"), "\(text.debugDescription)")
        }
    }

    @Test("renormalize runs beside a running daemon on the same archive: both keep working, and it changes nothing")
    func besideTheDaemon() async throws {
        try await FourSourceFixture.with { fixture in
            // The fixture's config logs notices only; the daemon's passes are told at info.
            let config = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
                .replacingOccurrences(of: #""logLevel": "notice""#, with: #""logLevel": "info""#)
            let configPath = try writeFile("daemon.json", config, in: fixture.directory)
            let daemon = try SessionSyncProcess(["run", "--config", configPath], environment: FourSourceFixture.keys)
            defer {
                daemon.signal(SIGKILL)
                _ = daemon.waitForExit()
            }
            #expect(daemon.waitFor(": pass finished", occurrences: 4), "\(daemon.text)")
            for source in FourSourceFixture.Provider.allCases {
                #expect(daemon.text.contains("source=\(source) run="), "\(daemon.text)")
            }
            let result = try Self.renormalize(fixture)
            #expect(result.status == 0, "\(result.stderr)")
            for source in FourSourceFixture.Provider.allCases {
                #expect(
                    Self.summary(of: source, in: result.stdout)?.hasSuffix(" 0 changed, 0 row(s) rewritten") == true)
            }
            daemon.signal(SIGTERM)
            #expect(daemon.waitForExit() == 0, "\(daemon.text)")
        }
    }

    // MARK: - Helpers

    /// The summary line of `source`: `NAME: N session(s) read, N changed, N row(s) rewritten`.
    static func summary(of source: FourSourceFixture.Provider, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("\(source): ") }.map(String.init)
    }

    /// The rows that differ, as `row N: first cells`, at most five: short enough to read in a failure.
    static func differences(_ before: [[String?]], _ after: [[String?]]) -> [String] {
        var found: [String] = []
        if before.count != after.count { found.append("\(before.count) rows before, \(after.count) after") }
        for (index, (old, new)) in zip(before, after).enumerated() where old != new {
            found.append(
                "row \(index): \(old.prefix(4).map { $0 ?? "NULL" }) became \(new.prefix(4).map { $0 ?? "NULL" })")
        }
        return Array(found.prefix(5))
    }

    static func renormalize(_ fixture: FourSourceFixture) throws -> ProcessResult {
        // No key in the environment: renormalize sends nothing, so it needs none.
        try runSessionSync(["renormalize", "--config", fixture.configPath], environment: [:])
    }

    /// Every row of every table of the file, shadow tables of the full-text indexes included.
    static func everyTable(_ fixture: FourSourceFixture) throws -> [String: [[String?]]] {
        var tables: [String: [[String?]]] = [:]
        for row in try fixture.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            let name = row[0] ?? ""
            tables[name] = try fixture.query("SELECT * FROM \"\(name)\" ORDER BY 1")
        }
        return tables
    }

    static func contract(_ fixture: FourSourceFixture) throws -> [String: [[String?]]] {
        var tables: [String: [[String?]]] = [:]
        for (table, sql) in contractTables {
            tables[table] = try fixture.query(sql)
        }
        return tables
    }

    static func clearRequestLogs(_ fixture: FourSourceFixture) {
        for server in fixture.servers.values { server.log.clear() }
        fixture.exportServer.log.clear()
    }

    static func requestCount(_ fixture: FourSourceFixture) -> Int {
        fixture.servers.values.map(\.log.count).reduce(fixture.exportServer.log.count, +)
    }
}
