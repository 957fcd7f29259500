import Archive
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

/// A provider that changes a field's type must not stop the archive: the record is kept with the
/// field NULL, the drift is counted and said, and the run succeeds.
@Suite("Schema drift per provider: the record is archived, the field is NULL, the drift is recorded")
struct SchemaDriftTests {
    @Test(
        "isnotai: a string activityLevel and a number far beyond 64 bits in the details",
        arguments: ArchiveChoice.allCases)
    func isnotai(archive: ArchiveChoice) async throws {
        let simulator = IsNotAIProviderTests.simulator(sessions: 4)
        try await IsNotAIProviderTests.withHarness(simulator, archive: archive) { harness in
            let body = #"""
                {"data": {"startTime": "2026-01-05T10:00:00Z", "endTime": "2026-01-05T10:05:00Z", "durationSeconds": 1e400,
                  "eventCounts": {"total": 1e19, "mouse": 4},
                  "timeline": [{"timestamp": "2026-01-05T10:00:00Z", "eventCount": 3, "activityLevel": "high"},
                               {"timestamp": "0000-01-01T00:00:00Z", "eventCount": 1}],
                  "pageHistory": [{"url": "https://example.com/", "timestamp": "99999-01-01T00:00:00Z", "durationMs": 10}]}}
                """#
            harness.server.faults.inject(FaultRule(pathContains: "/details", times: 1, fault: .status(200, body: body)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 4)
            // The session that got the drifted answer: its timeline kept the bucket with a usable time.
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM timeline WHERE bucket_at = '2026-01-05T10:00:00.000Z' AND event_count = 3 AND activity_level IS NULL"
                ) == 1)
            #expect(
                try await harness.count("SELECT count(*) FROM event_counts WHERE event_type = 'mouse' AND count = 4")
                    == 1)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM page_history WHERE url = 'https://example.com/' AND visited_at IS NULL") == 1)
            let drift = try await harness.rows(
                "SELECT json_path, expected, found_sample FROM schema_drift ORDER BY json_path")
            #expect(
                drift.map { $0[0] ?? "" } == [
                    "data.durationSeconds", "data.eventCounts.total", "data.pageHistory[].timestamp",
                    "data.timeline[].activityLevel", "data.timeline[].timestamp",
                ])
            #expect(
                drift.contains { $0 == ["data.timeline[].activityLevel", "a finite number", #"a string: "high""#] })
            #expect(
                drift.contains { $0 == ["data.eventCounts.total", "a whole number within 64 bits", "a number: 1e19"] })
            #expect(
                outcome.progress.warnings.contains {
                    $0.hasPrefix("schema drift: 5 value(s) in 5 field(s) stored as NULL")
                })
            #expect(
                try await harness.text("SELECT warnings FROM sync_runs ORDER BY id DESC LIMIT 1")?.contains(
                    "see the schema_drift table") == true)
            #expect(try await harness.statusText().contains("drift:      5 field(s) stored as NULL (5 value(s))"))
        }
    }

    @Test(
        "realtimekit: a numeric display_name and a huge duration in the participants", arguments: ArchiveChoice.allCases
    )
    func realtimekit(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 3), extra: #", "chat": false"#, archive: archive
        ) {
            fixture in
            let body = #"""
                {"success": true, "data": {"participants": [
                  {"id": "p-drift", "display_name": 12345, "user_id": "u-1", "joined_at": "2026-01-05T10:00:00Z", "duration": 1e308},
                  {"display_name": "no id"}]},
                 "paging": {"total_count": 1e19, "start_offset": 0, "end_offset": 2}}
                """#
            fixture.harness.server.faults.inject(
                FaultRule(pathContains: "/participants", times: 1, fault: .status(200, body: body)))
            let outcome = await fixture.harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await fixture.harness.count("SELECT count(*) FROM sessions") == 3)
            #expect(
                try await fixture.harness.count(
                    "SELECT count(*) FROM participants WHERE external_id = 'p-drift' AND display_name IS NULL AND duration_seconds IS NULL AND user_id = 'u-1'"
                ) == 1)
            // Every other session's participants were archived as usual.
            #expect(try await fixture.harness.count("SELECT count(DISTINCT session_id) FROM participants") == 3)
            let paths = try await fixture.harness.rows("SELECT json_path FROM schema_drift ORDER BY json_path").map {
                $0[0] ?? ""
            }
            #expect(
                paths == ["data.participants[].display_name", "data.participants[].duration", "paging.total_count"])
            #expect(
                try await fixture.harness.text("SELECT reason FROM quarantine")
                    == #"data.participants[1]: missing member "id""#)
            #expect(outcome.progress.warnings.contains { $0.hasPrefix("quarantine: 1 record(s)") })
            #expect(try await fixture.harness.statusText().contains("quarantine: 1 record(s) kept aside"))
        }
    }

    @Test(
        "yourgpt: a numeric country, an object state and an unreadable created_at in the listing",
        arguments: ArchiveChoice.allCases)
    func yourgpt(archive: ArchiveChoice) async throws {
        let simulator = YourGPTProviderTests.simulator(sessions: 5)
        try await YourGPTProviderTests.withHarness(simulator, archive: archive) { harness in
            let body = #"""
                {"type": "RXSUCCESS", "data": [
                  {"session_uid": "drift-1", "country": 840, "state": {"open": true}, "created_at": "yesterday",
                   "last_message_time": "2026-11-20T11:00:00Z", "device_type": "desktop"},
                  {"session_uid": "drift-2", "last_message_time": "20 Nov 2026"}]}
                """#
            harness.server.faults.inject(
                FaultRule(pathContains: "getSessions", times: 1, fault: .status(200, body: body)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE external_id = 'drift-1' AND country IS NULL AND status IS NULL AND started_at IS NULL AND device_type = 'desktop'"
                ) == 1)
            // The listing's order and cursor rest on last_message_time: a row without a usable one waits in quarantine.
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE external_id = 'drift-2'") == 0)
            #expect(
                try await harness.text("SELECT external_id || ': ' || reason FROM quarantine")
                    == "drift-2: data[1].last_message_time: expected an ISO-8601 date-time in the years 0001 to 9999, found a string"
            )
            let drift = try await harness.rows(
                "SELECT endpoint, json_path, found_sample FROM schema_drift ORDER BY json_path")
            #expect(
                drift == [
                    ["POST /chatbot/v1/getSessions", "data[].country", "a number: 840"],
                    ["POST /chatbot/v1/getSessions", "data[].created_at", #"a string: "yesterday""#],
                    ["POST /chatbot/v1/getSessions", "data[].state", "an object"],
                ])
            #expect(
                outcome.progress.warnings.contains {
                    $0.hasPrefix("schema drift: 3 value(s) in 3 field(s) stored as NULL")
                })
        }
    }
}

/// A server that ignores the page parameter answers the same page forever; a listing notices
/// the repeat at once instead of reading it up to its page bound.
@Suite("Listings stop at a page that repeats the one before it")
struct RepeatedPageTests {
    @Test(
        "yourgpt: a full page answered for every page number stops the listing with a warning; the cursor stays",
        arguments: ArchiveChoice.allCases)
    func yourgpt(archive: ArchiveChoice) async throws {
        let simulator = YourGPTProviderTests.simulator(sessions: 5)
        // The harness's pages hold 25 sessions: a full page of them, answered for every page number.
        try await YourGPTProviderTests.withHarness(simulator, archive: archive) { harness throws in
            let rows = (10..<35).map { #"{"session_uid": "s\#($0)", "last_message_time": "2026-11-20T11:\#($0):00Z"}"# }
                .joined(separator: ", ")
            let body = #"{"type": "RXSUCCESS", "data": [\#(rows)]}"#
            harness.server.faults.inject(
                FaultRule(pathContains: "getSessions", times: nil, fault: .status(200, body: body)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                outcome.progress.warnings.contains { $0.contains("answered page 2 with exactly the rows of page 1") })
            #expect(harness.server.log.matching("getSessions").count == 2)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 25)
            #expect(
                try await harness.count("SELECT count(*) FROM sync_cursors") == 0,
                "an incomplete listing moves no cursor")
        }
    }

    @Test(
        "realtimekit: a listing page repeated stops the listing; a participants page repeated is that session's failure",
        arguments: ArchiveChoice.allCases)
    func realtimekit(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 30), pageSize: 10, extra: #", "chat": false"#, archive: archive
        ) { fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            let id = fixture.simulator.sessionIDs[0]
            let rows = (1...10).map { #"{"id": "p\#($0)"}"# }.joined(separator: ", ")
            let page =
                #"{"success": true, "data": {"participants": [\#(rows)]}, "paging": {"total_count": 50, "start_offset": 0, "end_offset": 10}}"#
            harness.server.faults.inject(
                FaultRule(pathContains: "/sessions/\(id)/participants", times: nil, fault: .status(200, body: page)))
            try await harness.execute(
                "UPDATE fetch_queue SET state = 'pending', version = 'again' WHERE kind = 'participants'")
            harness.server.log.clear()
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(outcome.progress.warnings.contains { $0.contains("page 2 repeats page 1 verbatim") })
            #expect(fixture.requests(endingWith: "/sessions/\(id)/participants").count == 2)
        }
    }
}
