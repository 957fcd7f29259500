import Archive
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

/// One session whose participants (or whose live revisit) keep failing must not hold back the
/// rest of the source: the other sessions' participants and chat exports (which expire upstream)
/// are archived in the same pass, and the poison item backs off and is given up at its limit.
@Suite("RealtimeKit: a poison item costs itself only")
struct RealtimeKitPoisonItemTests {
    @Test(
        "one session's participants and one live revisit fail for several passes: everything else is archived in the first, the item is given up at its limit",
        arguments: ArchiveChoice.allCases)
    func poisonGivenUp(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 10, live: 2), archive: archive) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            let ended = simulator.sessionIDs.filter { !simulator.liveSessionIDs.contains($0) }
            let poison = ended[3]
            let live = simulator.liveSessionIDs[0]
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/sessions/\(poison)/participants", times: nil,
                    fault: .status(500, body: #"{"success": false, "errors": [{"code": 500, "message": "poison"}]}"#)))
            // The live session's revisit fails, and so (the same path prefix) do its participants.
            harness.server.faults.inject(
                FaultRule(method: "GET", pathContains: "/sessions/\(live)", times: nil, fault: .status(500)))

            let first = await harness.pass()
            #expect(first.result == .succeeded)
            #expect(
                first.progress.warnings.contains { $0.hasPrefix("2 participants item(s) failed and will be retried") })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 10)
            // Every other session's participants, and every ended session's chat, poison's included.
            #expect(try await harness.count("SELECT count(DISTINCT session_id) FROM participants") == 8)
            #expect(
                try await harness.count("SELECT count(*) FROM fetch_queue WHERE kind = 'chat' AND state = 'done'")
                    == ended.count)
            #expect(try await fixture.queue("participants", poison)?.state == "pending")
            #expect(
                try await harness.text(
                    "SELECT attempts FROM fetch_queue WHERE kind = 'participants' AND external_id = ?", .text(poison))
                    == "1")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE external_id = ? AND next_attempt_at > ?", .text(poison),
                    .text(Timestamp.now().iso8601)) == 1, "backed off")

            // Within its backoff the item is not tried. The live sessions, not listed again, are
            // revisited: the poisoned one fails, and its revisit goes into the queue with its error.
            harness.server.log.clear()
            let second = await harness.pass()
            #expect(second.result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(poison)/participants").isEmpty)
            #expect(
                second.progress.warnings.contains {
                    $0.hasPrefix("1 revisit item(s) failed") && $0.contains("1 succeeded")
                })
            #expect(try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(live)) == "live")
            #expect(
                try await harness.text(
                    "SELECT attempts FROM fetch_queue WHERE kind = 'revisit' AND external_id = ?", .text(live)) == "1")
            #expect(
                try await harness.count("SELECT count(*) FROM fetch_queue WHERE kind = 'revisit'") == 1,
                "a revisit that works leaves no queue row")

            let limit = ItemRetryPolicy().maxAttempts
            for attempt in 2...limit {
                try await harness.endBackoffs()
                #expect(await harness.pass().result == .succeeded)
                let expected = attempt < limit ? "pending" : "gave_up"
                #expect(try await fixture.queue("participants", poison)?.state == expected, "after attempt \(attempt)")
                #expect(try await fixture.queue("revisit", live)?.state == expected, "revisit after attempt \(attempt)")
            }
            #expect(try await fixture.queue("participants", poison)?.lastError?.contains("poison") == true)
            #expect(try await fixture.queue("revisit", live)?.lastError?.contains("HTTP 500") == true)
            harness.server.log.clear()
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(
                fixture.requests(endingWith: "/sessions/\(poison)/participants").isEmpty, "given up: not asked again")
            #expect(fixture.requests(endingWith: "/sessions/\(live)").isEmpty, "the revisit too")
            let status = try await fixture.harness.statusText()
            // The poison session's participants, and the live session's (the fault covers its whole path).
            #expect(status.contains("participants: 0 pending") && status.contains("2 given up"))
        }
    }

    @Test(
        "an item whose endpoint recovers before its limit is archived on the next pass after its backoff",
        arguments: ArchiveChoice.allCases)
    func poisonRecovers(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 6), extra: #", "chat": false"#, archive: archive
        ) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            let poison = simulator.sessionIDs[2]
            harness.server.faults.inject(
                FaultRule(pathContains: "/sessions/\(poison)/participants", times: nil, fault: .status(502)))
            for _ in 1...3 {
                try await harness.endBackoffs()
                #expect(await harness.pass().result == .succeeded)
            }
            #expect(
                try await harness.text(
                    "SELECT attempts FROM fetch_queue WHERE kind = 'participants' AND external_id = ?", .text(poison))
                    == "3")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM participants p JOIN sessions s ON s.id = p.session_id WHERE s.external_id = ?",
                    .text(poison)) == 0)

            harness.server.faults.clear()
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await fixture.queue("participants", poison)?.state == "done")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM participants p JOIN sessions s ON s.id = p.session_id WHERE s.external_id = ?",
                    .text(poison)) > 0)
        }
    }

    @Test(
        "a live session's revisit that fails is backed off, and once it recovers the session's end is archived and its item done",
        arguments: ArchiveChoice.allCases)
    func revisitRecovers(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 3, live: 1), extra: #", "chat": false"#, archive: archive
        ) { fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            let live = simulator.liveSessionIDs[0]
            #expect(await harness.pass().result == .succeeded)
            harness.server.faults.inject(
                FaultRule(method: "GET", pathContains: "/sessions/\(live)", times: nil, fault: .status(502)))
            for attempt in 1...3 {
                try await harness.endBackoffs()
                #expect(await harness.pass().result == .succeeded)
                #expect(
                    try await harness.text(
                        "SELECT attempts FROM fetch_queue WHERE kind = 'revisit' AND external_id = ?", .text(live))
                        == "\(attempt)")
            }
            // Within the backoff the revisit is not asked.
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(live)").isEmpty)

            harness.server.faults.clear()
            simulator.endSession(live)
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await fixture.queue("revisit", live)?.state == "done")
            #expect(try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(live)) == "ended")
        }
    }

    @Test(
        "when every item of a stage fails (an outage), each counts one backed-off attempt and the run says so; a later pass archives them",
        arguments: ArchiveChoice.allCases)
    func outage(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 4), extra: #", "chat": false"#, archive: archive
        ) {
            fixture in
            let harness = fixture.harness
            harness.server.faults.inject(FaultRule(pathContains: "/participants", times: nil, fault: .status(503)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                outcome.progress.warnings.contains {
                    $0.hasPrefix("4 participants item(s) failed") && $0.contains("0 succeeded")
                        && $0.contains("HTTP 503")
                })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 4, "the listing before it was archived")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE kind = 'participants' AND attempts = 1 AND state = 'pending' AND next_attempt_at IS NOT NULL AND last_error LIKE '%503%'"
                ) == 4)
            harness.server.faults.clear()
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(DISTINCT session_id) FROM participants") == 4)
        }
    }
}
