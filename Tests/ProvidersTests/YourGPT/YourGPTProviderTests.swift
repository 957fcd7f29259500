import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

@Suite("YourGPT: sessions ordered by a moving last-message time, and their messages")
struct YourGPTProviderTests {
    static let key = "ygpt-secret-4f1c9a"

    static func simulator(sessions: Int = 120, seed: UInt64 = 11) -> YourGPTSimulator {
        var options = YourGPTSimulator.Options()
        options.apiKey = key
        options.sessions = sessions
        options.seed = seed
        options.clock = .manual(Timestamp(iso8601: "2026-11-20T12:00:00Z")!)
        options.history = .seconds(2 * 86_400)
        return YourGPTSimulator(options: options)
    }

    /// A source on `simulator` for `body`, shut down when `body` returns or throws.
    @discardableResult
    static func withHarness<T>(
        _ simulator: YourGPTSimulator, extra: String = "", archive: ArchiveChoice = .sqlite,
        _ body: (ProviderHarness) async throws -> T
    ) async throws -> T {
        try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "yourgpt", "apiKey": {"env": "YG_KEY"}, "pageSize": 25, "since": "2026-11-01T00:00:00Z", "lookback": "1h"\#(extra)"#,
            secrets: ["YG_KEY": key],
            archive: archive,
            body
        )
    }

    @Test(
        "a full listing over several pages archives every session with its columns and metadata",
        arguments: ArchiveChoice.allCases)
    func fullListing(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 120)
            #expect(harness.server.log.matching("getSessions").count >= 120 / 25)
            // Every session once, keyed by session_uid as text.
            #expect(
                try await harness.count("SELECT count(DISTINCT external_id) FROM sessions WHERE kind = 'chat'") == 120)
            let uid = simulator.uidsNewestFirst[0]
            let row = try #require(
                try await harness.rows(
                    "SELECT status, country, device_type, started_at, metadata ->> 'chat_mode', metadata ->> 'last_message_time', raw ->> 'ip' FROM sessions WHERE external_id = ?",
                    .text(uid)
                ).first)
            #expect(
                ["pending", "unresolved", "resolved", "closed"].contains(row[0] ?? ""),
                "state is lower-cased: \(row[0] ?? "nil")")
            #expect(row[1] != nil && row[2] != nil)
            #expect(row[3]?.hasSuffix("Z") == true)
            #expect(["bot", "awaiting", "operator"].contains(row[4] ?? ""))
            #expect(row[5] != nil)
            // The visitor IP stays in raw only.
            #expect(row[6]?.hasPrefix("203.0.113.") == true)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM session_metadata WHERE key LIKE '%ip%' AND key NOT LIKE '%ship%'") == 0)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE CAST(metadata AS TEXT) LIKE '%203.0.113.%'") == 0)
            #expect(
                try await harness.count("SELECT count(*) FROM session_metadata WHERE key = 'visitor_data.name'") == 120)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM session_metadata WHERE key = 'session_meta.browser' AND value = 'Chrome'")
                    == 120)
            #expect(try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'last_message_time'") != nil)
        }
    }

    @Test("an unchanged second pass changes no row and costs at most three requests", arguments: ArchiveChoice.allCases)
    func unchangedPass(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            harness.server.log.clear()
            let second = await harness.pass()
            #expect(second.result == .succeeded)
            #expect(second.stats.rowsWritten == 0)
            #expect(second.stats.sessionsUpserted == 0)
            #expect(harness.server.log.count <= 3, "an unchanged pass made \(harness.server.log.count) requests")
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test(
        "an incremental pass picks up a conversation that got a message, and nothing else changes",
        arguments: ArchiveChoice.allCases)
    func incremental(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let uid = simulator.uidsNewestFirst[60]
            let before = try await harness.text(
                "SELECT metadata ->> 'last_message_time' FROM sessions WHERE external_id = ?", .text(uid))
            simulator.addMessage(to: uid)
            harness.server.log.clear()
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(outcome.stats.sessionsChanged == 1)
            #expect(outcome.stats.sessionsInserted == 0)
            let after = try await harness.text(
                "SELECT metadata ->> 'last_message_time' FROM sessions WHERE external_id = ?", .text(uid))
            #expect(after != nil && after != before)
            #expect(harness.server.log.count <= 4)
        }
    }

    @Test(
        "a session that moves from page 3 to page 1 while the pass pages is archived, once",
        arguments: ArchiveChoice.allCases)
    func movingSession(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator(sessions: 100)
        try await Self.withHarness(simulator, archive: archive) { harness in
            // With 25 a page, position 60 sits on page 3; it moves to the front just before page 3 is read.
            let moving = simulator.uidsNewestFirst[60]
            simulator.moveToFront(moving, beforePage: 3)
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 100)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE external_id = ?", .text(moving)) == 1)
            // Archived with its new last message (read again from the first page), not its old one.
            let newest = try await harness.text("SELECT max(metadata ->> 'last_message_time') FROM sessions")
            #expect(
                try await harness.text(
                    "SELECT metadata ->> 'last_message_time' FROM sessions WHERE external_id = ?",
                    .text(moving)) == newest)
            #expect(simulator.uidsNewestFirst[0] == moving)
        }
    }

    @Test("filters and the view id reach the server in the documented form", arguments: ArchiveChoice.allCases)
    func filters(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(
            simulator,
            extra:
                #", "viewId": 9, "filter": [{"model": "SESSION", "key": "integration", "operator": "in", "value": ["web", "whatsapp"]}, {"key": "state", "operator": "ne", "value": "closed"}]"#,
            archive: archive
        ) { harness in
            #expect(await harness.pass().result == .succeeded)
            let request = try #require(harness.server.log.matching("getSessions").first?.request)
            #expect(request.header("api-key") == Self.key)
            let body = try #require(request.json?.root)
            #expect(body["orderBy"]?.string == "DESC")
            #expect(body["limit"]?.int == 25)
            #expect(body["page"]?.int == 1)
            #expect(body["view_id"]?.int == 9)
            #expect(body["from"]?.string?.count == 10)
            #expect(body["to"]?.string?.count == 10)
            let filters = try #require(body["filter"]).elements.map(\.rawText)
            #expect(
                filters == [
                    #"{"model":"SESSION","key":"integration","operator":"in","value":["web","whatsapp"]}"#,
                    #"{"model":"SESSION","key":"state","operator":"ne","value":"closed"}"#,
                ])
            // The simulator applies them like the API: only web/whatsapp sessions that are not closed arrive.
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'closed'") == 0)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE raw -> 'data' ->> 'integration' NOT IN ('web', 'whatsapp')"
                ) == 0)
            #expect(try await harness.count("SELECT count(*) FROM sessions") > 0)
        }
    }

    @Test(
        "messages are fetched for new and changed sessions only, and only the new ones are added",
        arguments: ArchiveChoice.allCases)
    func messages(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator(sessions: 40)
        try await Self.withHarness(simulator, extra: #", "messages": true"#, archive: archive) { harness throws in
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.matching("getSessionMessages").count == 40)
            let total = simulator.uidsNewestFirst.reduce(0) { $0 + simulator.messageCount(of: $1) }
            #expect(try await harness.count("SELECT count(*) FROM messages") == total)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM messages WHERE sender IS NULL OR sent_at IS NULL OR body IS NULL") == 0)

            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.matching("getSessionMessages").isEmpty)

            let uid = simulator.uidsNewestFirst[20]
            simulator.addMessage(to: uid, text: "a brand new message")
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            let fetched = harness.server.log.matching("getSessionMessages")
            #expect(fetched.count == 1)
            #expect(fetched.first?.request.json?.root["session_uid"]?.string == uid)
            #expect(try await harness.count("SELECT count(*) FROM messages") == total + 1)
            #expect(
                try await harness.text(
                    "SELECT m.body FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ? ORDER BY m.sent_at DESC LIMIT 1",
                    .text(uid)) == "a brand new message")
        }
    }

    @Test(
        "RXERROR with HTTP 200 fails the run with the provider's message and touches nothing",
        arguments: ArchiveChoice.allCases)
    func rxError(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            simulator.answerRXError(times: 1)
            simulator.addMessage(to: simulator.uidsNewestFirst[5])
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("RXERROR: Something went wrong, please try again"))
            #expect(message.contains("POST /chatbot/v1/getSessions"))
            #expect(try await harness.archiveDigest() == digest)
            #expect(try await harness.text("SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1") == "failed")
            #expect(
                try await harness.text("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1")?.contains("RXERROR")
                    == true)
        }
    }

    @Test(
        "a wrong key fails with the API's message; the key never reaches the logs or the archive",
        arguments: ArchiveChoice.allCases)
    func wrongKeyAndSecrecy(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await withProviderHarness(
            api: simulator, source: #""provider": "yourgpt", "apiKey": {"env": "YG_KEY"}"#,
            secrets: ["YG_KEY": "not-the-key"], archive: archive
        ) { wrong in
            let outcome = await wrong.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run")
                return
            }
            #expect(message.contains("HTTP 401"))
            #expect(message.contains("Invalid or revoked API token"))

            try await Self.withHarness(simulator, extra: #", "messages": true"#, archive: archive) { harness throws in
                #expect(await harness.pass().result == .succeeded)
                #expect(!harness.logs.text.contains(Self.key))
                #expect(try await !harness.archiveContains(text: Self.key))
                // What was archived is found: the search above looks where the archive keeps its rows.
                #expect(try await harness.archiveContains(text: simulator.uidsNewestFirst[0]))
            }
        }
    }
}
