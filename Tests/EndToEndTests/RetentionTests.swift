import Foundation
import SessionSyncSupport
import Simulators
import Testing

@Suite("retention through the binary", .serialized)
struct RetentionTests {
    /// The child tables and what holds them in the fixture: isnotai details, RealtimeKit meetings.
    static let childTables = [
        "participants", "messages", "transcripts", "page_history", "timeline", "event_counts", "session_metadata",
        "session_fingerprints",
    ]

    @Test(
        "retention deletes a source's inactive sessions with every row and queue item and tombstones them; it runs at most once a day and shows in status"
    )
    func retention() async throws {
        try await FourSourceFixture.with { fixture in
            let first = try fixture.sync()
            #expect(first.waitForExit() == 0, "\(first.text)")
            // The simulators' data spans the last two days: a one-day window takes about half of
            // the sessions that ended (isnotai, RealtimeKit), and none that did not.
            let config = try String(contentsOfFile: fixture.configPath, encoding: .utf8)
                .replacingOccurrences(
                    of: #""schedule": {"every": "1h"}"#, with: #""schedule": {"every": "1h"}, "retention": "1d""#)
            let retentionConfig = try writeFile("retention.json", config, in: fixture.directory)
            func sync(_ arguments: [String] = []) throws {
                let process = try SessionSyncProcess(
                    ["sync", "--config", retentionConfig] + arguments, environment: FourSourceFixture.keys)
                #expect(process.waitForExit() == 0, "\(process.text)")
            }

            let ended = try fixture.query(
                """
                SELECT s.id, o.name, s.external_id, s.ended_at, s.source_id FROM sessions s
                JOIN sources o ON o.id = s.source_id WHERE s.ended_at IS NOT NULL ORDER BY s.id
                """)
            var rowsBefore: [String: [String: Int]] = [:]
            for table in Self.childTables + ["fetch_queue"] {
                rowsBefore[table] = try rowCounts(fixture, table)
            }

            try sync()
            let states = try fixture.query(
                """
                SELECT o.name, r.cutoff, r.sessions_deleted, r.applied_at, r.retention_seconds
                FROM retention_state r JOIN sources o ON o.id = r.source_id ORDER BY o.name
                """)
            #expect(states.map { $0[0] } == ["isnotai", "openreplay", "realtimekit", "yourgpt"])
            #expect(states.allSatisfy { $0[4] == "86400" })
            let cutoffs = Dictionary(uniqueKeysWithValues: states.map { ($0[0] ?? "", $0[1] ?? "") })
            let expired = ended.filter { ($0[3] ?? "") < cutoffs[$0[1] ?? ""]! }
            let kept = ended.filter { ($0[3] ?? "") >= cutoffs[$0[1] ?? ""]! }
            #expect(Set(expired.map { $0[1] }) == ["isnotai", "realtimekit"], "\(expired)")
            #expect(!kept.isEmpty)
            #expect(states.reduce(0) { $0 + Int($1[2] ?? "0")! } == expired.count)
            let expiredIDs = expired.map { $0[0] ?? "" }
            for table in Self.childTables + ["fetch_queue"] {
                // Queue items name their session by source and external id.
                let keys = table == "fetch_queue" ? expired.map { "\($0[4] ?? "")/\($0[2] ?? "")" } : expiredIDs
                let before = keys.reduce(0) { $0 + (rowsBefore[table]?[$1] ?? 0) }
                #expect(before > 0, "the expired sessions had \(table) rows")
                let after = try rowCounts(fixture, table)
                #expect(keys.allSatisfy { after[$0] == nil }, "\(table) rows of expired sessions are left")
            }
            #expect(
                try fixture.query(
                    "SELECT count(*) FROM sessions WHERE id IN (\(expiredIDs.joined(separator: ", ")))") == [["0"]])
            #expect(
                try fixture.query(
                    "SELECT count(*) FROM sessions WHERE id IN (\(kept.map { $0[0] ?? "" }.joined(separator: ", ")))")
                    == [["\(kept.count)"]])
            for (source, cutoff) in cutoffs {
                #expect(
                    try fixture.query(
                        """
                        SELECT count(*) FROM sessions s JOIN sources o ON o.id = s.source_id
                        WHERE o.name = '\(source)' AND coalesce(s.ended_at, s.last_seen_at) < '\(cutoff)'
                        """) == [["0"]])
            }
            #expect(try fixture.query("PRAGMA foreign_key_check").isEmpty)
            #expect(
                try fixture.query("SELECT reason, count(*) FROM tombstones GROUP BY reason") == [
                    ["retention", "\(expired.count)"]
                ])

            // Every source read again from its `since`: the expired sessions are upstream still, and
            // stay out; the window, applied less than a day ago, is not applied again.
            for provider in FourSourceFixture.Provider.allCases {
                let reset = try runSessionSync(
                    ["reset-cursor", "--config", retentionConfig, "--source", provider.rawValue],
                    environment: FourSourceFixture.keys)
                #expect(reset.status == 0, "\(reset.stderr)")
            }
            func detailRequests() -> Int {
                let ids = Set(expired.filter { $0[1] == "isnotai" }.map { "/v1/sessions/\($0[2] ?? "")/details" })
                return fixture.server(.isnotai).log.all.filter { ids.contains($0.request.path) }.count
            }
            let detailsBefore = detailRequests()
            try sync()
            #expect(detailRequests() == detailsBefore, "a tombstoned session's details are not fetched again")
            for session in expired {
                let source = try #require(FourSourceFixture.Provider(rawValue: session[1] ?? ""))
                #expect(try fixture.archivedIDs(source, where: "s.external_id = '\(session[2] ?? "")'").isEmpty)
            }
            #expect(try fixture.query("SELECT count(*) FROM tombstones") == [["\(expired.count)"]])
            let appliedAt = try fixture.query(
                "SELECT r.applied_at FROM retention_state r JOIN sources o ON o.id = r.source_id ORDER BY o.name")
            #expect(appliedAt == states.map { [$0[3]] }, "applied at most once a day")

            // Nor does asking for them by id: `enqueue` skips a tombstoned id, and a row any program
            // inserts into `detail_requests` is dropped by the next pass.
            let expiredDetails = expired.filter { $0[1] == "isnotai" }.map { $0[2] ?? "" }
            try #require(expiredDetails.count >= 2)
            let enqueue = try runSessionSync(
                ["enqueue", "--config", retentionConfig, "--source", "isnotai", expiredDetails[0]])
            #expect(enqueue.status == 0, "\(enqueue.stderr)")
            #expect(enqueue.stdout.contains("1 id(s) skipped: erased or past retention"), "\(enqueue.stdout)")
            try runSQL(
                fixture.databasePath,
                "INSERT INTO detail_requests (source_name, external_id) VALUES ('isnotai', '\(expiredDetails[1])')")

            // A session that falls out of the window now waits for the next day's application.
            try runSQL(
                fixture.databasePath,
                """
                INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at, ended_at)
                SELECT id, 'ses_planted', 'activity', '{}', '2001-01-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z',
                    '2001-01-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z' FROM sources WHERE name = 'isnotai';
                INSERT INTO event_counts SELECT id, 'total', 3 FROM sessions WHERE external_id = 'ses_planted';
                """)
            try sync(["--source", "isnotai"])
            #expect(try fixture.archivedIDs(.isnotai, where: "s.external_id = 'ses_planted'") == ["ses_planted"])
            #expect(try fixture.query("SELECT count(*) FROM detail_requests") == [["0"]])
            for id in expiredDetails {
                #expect(try fixture.archivedIDs(.isnotai, where: "s.external_id = '\(id)'").isEmpty)
                #expect(try fixture.query("SELECT count(*) FROM fetch_queue WHERE external_id = '\(id)'") == [["0"]])
            }
            try runSQL(
                fixture.databasePath,
                """
                UPDATE retention_state SET applied_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours')
                WHERE source_id = (SELECT id FROM sources WHERE name = 'isnotai');
                """)
            try sync(["--source", "isnotai"])
            #expect(try fixture.archivedIDs(.isnotai, where: "s.external_id = 'ses_planted'").isEmpty)
            #expect(
                try fixture.query(
                    "SELECT count(*) FROM event_counts WHERE count = 3 AND event_type = 'total' AND session_id NOT IN (SELECT id FROM sessions)"
                ) == [["0"]])
            #expect(try fixture.query("SELECT count(*) FROM tombstones") == [["\(expired.count + 1)"]])
            #expect(try fixture.query("PRAGMA foreign_key_check").isEmpty)

            let oldest = try #require(
                try fixture.query(
                    """
                    SELECT min(coalesce(ended_at, last_seen_at)) FROM sessions s JOIN sources o ON o.id = s.source_id
                    WHERE o.name = 'isnotai'
                    """
                ).first?.first ?? nil)
            let status = try runSessionSync(["status", "--config", retentionConfig])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(
                status.stdout.components(separatedBy: "  retention:  1d; last applied ").count == 5, "\(status.stdout)")
            #expect(status.stdout.contains("oldest session kept: last active \(oldest)"), "\(status.stdout)")
            #expect(status.stdout.contains("past retention"))
            let json = try runSessionSync(["status", "--config", retentionConfig, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let sources = try #require(object?["sources"] as? [[String: Any]])
            let isnotai = try #require(sources.first { $0["name"] as? String == "isnotai" })
            let retention = try #require(isnotai["retention"] as? [String: Any])
            #expect(retention["window"] as? String == "1d")
            #expect(retention["oldestSessionActivityAt"] as? String == oldest)
        }
    }

    /// Rows of `table` per session id (for `fetch_queue`, per `source_id/external_id`).
    private func rowCounts(_ fixture: FourSourceFixture, _ table: String) throws -> [String: Int] {
        let sql =
            table == "fetch_queue"
            ? "SELECT source_id || '/' || external_id, count(*) FROM fetch_queue GROUP BY 1"
            : "SELECT session_id, count(*) FROM \(table) GROUP BY session_id"
        return Dictionary(uniqueKeysWithValues: try fixture.query(sql).map { ($0[0] ?? "", Int($0[1] ?? "") ?? 0) })
    }
}
