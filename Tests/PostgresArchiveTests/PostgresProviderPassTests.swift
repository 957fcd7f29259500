import Archive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

/// Real passes (``SourceRunner``, the providers' own code, over HTTP to a simulator) into a
/// PostgreSQL archive.
@Suite("Provider passes into a PostgreSQL archive")
struct PostgresProviderPassTests {
    @Test("a YourGPT pass archives exactly the simulator's conversations and messages; a second pass changes no row")
    func yourGPT() async throws {
        var options = YourGPTSimulator.Options()
        options.apiKey = "ygpt-pg-key"
        options.sessions = 80
        options.seed = 21
        options.clock = .manual(Timestamp(iso8601: "2026-11-20T12:00:00Z")!)
        options.history = .seconds(2 * 86_400)
        let simulator = YourGPTSimulator(options: options)
        try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "yourgpt", "apiKey": {"env": "YG_KEY"}, "pageSize": 25, "messages": true, "since": "2026-11-01T00:00:00Z", "lookback": "1h""#,
            secrets: ["YG_KEY": options.apiKey], archive: .postgres
        ) { harness in
            let client = try #require(harness.postgres)
            let first = await harness.pass()
            #expect(first.result == .succeeded)
            #expect(first.stats.sessionsInserted == 80)
            let uids = simulator.uidsNewestFirst
            #expect(try await client.value("SELECT count(*)::text FROM sessions") == "80")
            #expect(
                try await client.value("SELECT count(DISTINCT external_id)::text FROM sessions WHERE kind = 'chat'")
                    == "80")
            let messages = uids.reduce(0) { $0 + simulator.messageCount(of: $1) }
            #expect(messages > 80)
            #expect(try await client.value("SELECT count(*)::text FROM messages") == "\(messages)")
            #expect(try await client.value("SELECT count(*)::text FROM sync_runs WHERE status = 'succeeded'") == "1")
            #expect(try await client.value("SELECT value FROM sync_cursors WHERE stream = 'last_message_time'") != nil)

            let digest = try await harness.archiveDigest()
            let second = await harness.pass()
            #expect(second.result == .succeeded)
            #expect(second.stats.rowsWritten == 0 && second.stats.sessionsUpserted == 0, "\(second.stats)")
            #expect(try await harness.archiveDigest() == digest)
            #expect(try await client.value("SELECT count(*)::text FROM sync_runs WHERE status = 'succeeded'") == "2")
        }
    }

    @Test(
        "a RealtimeKit pass archives exactly the simulator's meetings and participants; an unchanged pass changes no row"
    )
    func realtimeKit() async throws {
        var options = RealtimeKitSimulator.Options()
        options.apiToken = "rtk-pg-token"
        options.sessions = 30
        options.liveSessions = 2
        options.participantsPerSession = 2...13
        options.seed = 8
        let now = Timestamp.now().millisecondsSinceEpoch
        options.clock = .manual(Timestamp(millisecondsSinceEpoch: now - now % 60_000))
        let simulator = RealtimeKitSimulator(options: options)
        let since = options.clock.now.subtracting(.seconds(3 * 86_400)).iso8601
        try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "realtimekit", "accountId": "\#(options.accountID)", "appId": "\#(options.appID)", "apiToken": {"env": "RTK_TOKEN"}, "pageSize": 10, "since": "\#(since)", "lookback": "10m", "chat": false"#,
            secrets: ["RTK_TOKEN": options.apiToken], archive: .postgres
        ) { harness in
            let client = try #require(harness.postgres)
            #expect(await harness.pass().result == .succeeded)
            let ids = simulator.sessionIDs
            #expect(ids.count == 30)
            #expect(try await client.value("SELECT count(*)::text FROM sessions") == "30")
            #expect(try await client.value("SELECT count(*)::text FROM sessions WHERE status = 'live'") == "2")
            let participants = ids.reduce(0) { $0 + simulator.participantMinutes(of: $1).count }
            #expect(participants > 60)
            #expect(try await client.value("SELECT count(*)::text FROM participants") == "\(participants)")
            #expect(
                try await client.value("SELECT count(*)::text FROM fetch_queue WHERE state = 'done'")
                    == "\(ids.count)", "one participants item done per meeting")

            // The second pass reads the live meetings' details for the first time (detail_raw).
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            let third = await harness.pass()
            #expect(third.result == .succeeded)
            #expect(third.stats.rowsWritten == 0 && third.stats.sessionsUpserted == 0, "\(third.stats)")
            #expect(try await harness.archiveDigest() == digest)
        }
    }
}
