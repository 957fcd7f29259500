import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

@Suite("OpenReplay: sessions end only after two complete, trusted listings without them")
struct OpenReplayLifecycleTests {
    typealias Fixture = OpenReplayFixture

    @Test(
        "a session missing from two complete listings ends, with ended_at = when it was last seen live",
        arguments: ArchiveChoice.allCases)
    func endsAfterTwoListings(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 25)
        try await Fixture.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let victim = simulator.liveSessions[12]
            let lastSeen = try #require(
                try await harness.text(
                    "SELECT last_seen_at FROM sessions WHERE external_id = ?", .text(victim.sessionID)))

            simulator.endSession(victim.sessionID)
            let first = await harness.pass()
            #expect(first.result == .succeeded)
            #expect(first.stats.sessionsEnded == 0)
            #expect(try await state(of: victim.sessionID, in: harness) == ["live", nil, "1"])

            let second = await harness.pass()
            #expect(second.result == .succeeded)
            #expect(second.stats.sessionsEnded == 1)
            #expect(try await state(of: victim.sessionID, in: harness) == ["ended", lastSeen, "2"])
            let duration = try #require(
                try await harness.text(
                    "SELECT duration_seconds FROM sessions WHERE external_id = ?", .text(victim.sessionID)
                )
                .flatMap(Double.init))
            let expected =
                Double(try #require(Timestamp(iso8601: lastSeen)).millisecondsSinceEpoch - victim.timestamp) / 1000
            #expect(abs(duration - expected) < 0.002)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'") == 24)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings > 0")
                    == 0)
        }
    }

    @Test(
        "a session that comes back is live again; one seen in between starts counting absences afresh",
        arguments: ArchiveChoice.allCases)
    func reappearingSession(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 15)
        try await Fixture.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let id = simulator.liveSessions[4].sessionID

            // Missing once, back, missing once again: never two listings in a row, so still live.
            var session = try #require(simulator.endSession(id))
            #expect(await harness.pass().result == .succeeded)
            simulator.resumeSession(session)
            #expect(await harness.pass().result == .succeeded)
            #expect(try await state(of: id, in: harness) == ["live", nil, "0"])
            session = try #require(simulator.endSession(id))
            #expect(await harness.pass().result == .succeeded)
            #expect(try await state(of: id, in: harness) == ["live", nil, "1"])

            // Ended after a second absence, then the tracker reconnects with the same session id.
            #expect(await harness.pass().stats.sessionsEnded == 1)
            #expect(try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(id)) == "ended")
            simulator.resumeSession(session)
            let back = await harness.pass()
            #expect(back.result == .succeeded)
            #expect(back.stats.sessionsChanged == 1)
            #expect(try await state(of: id, in: harness) == ["live", nil, "0"])
            #expect(
                try await harness.text("SELECT duration_seconds FROM sessions WHERE external_id = ?", .text(id)) == nil)
        }
    }

    @Test(
        "failed listings never count: a failure on page 2, data:null, a malformed page",
        arguments: ArchiveChoice.allCases)
    func failedListingsDoNotCount(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 25)
        try await Fixture.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let victim = simulator.liveSessions[3].sessionID
            simulator.endSession(victim)

            let faults: [Fault] = [
                .malformedBody, .status(200, body: #"{"data":null}"#),
                .status(400, body: #"{"error":"invalid JSON body"}"#),
            ]
            for fault in faults {
                harness.server.faults.inject(
                    FaultRule(method: "POST", pathContains: "/assist/sessions", skip: 1, times: 1, fault: fault))
                let outcome = await harness.pass()
                #expect(outcome.failed, "a listing whose page 2 answered \(fault) must fail")
                #expect(try await state(of: victim, in: harness) == ["live", nil, "0"])
            }
            simulator.answerDataNull(times: 1)
            let null = await harness.pass()
            let message = try #require(Fixture.failure(null.result))
            #expect(message.contains("the assist service did not answer (data: null); no session was marked ended"))
            #expect(message.contains("POST /public/:projectKey/assist/sessions"))
            #expect(try await state(of: victim, in: harness) == ["live", nil, "0"])
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE absent_listings > 0") == 0)

            // Two good listings end it.
            #expect(await harness.pass().result == .succeeded)
            #expect(try await state(of: victim, in: harness) == ["live", nil, "1"])
            #expect(await harness.pass().stats.sessionsEnded == 1)
        }
    }

    @Test(
        "an empty listing right after a non-empty one is believed only when the next one is empty too",
        arguments: ArchiveChoice.allCases)
    func emptyAfterNonEmpty(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 12)
        try await Fixture.withHarness(simulator, archive: archive) { harness throws in
            #expect(await harness.pass().result == .succeeded)

            // The proxy could not reach the assist service once: nothing changes but the listing state.
            simulator.answerEmpty(times: 1)
            let silent = await harness.pass()
            #expect(silent.result == .succeeded)
            #expect(silent.progress.warnings.contains { $0.contains("empty right after a non-empty one") })
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings = 0")
                    == 12)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'listing'")
                    == #"{"sessions":12,"awaitingConfirmation":true}"#)
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings = 0")
                    == 12)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'listing'")
                    == #"{"sessions":12,"awaitingConfirmation":false}"#)

            // Everyone really left: the first empty listing waits, the second confirms (one absence), the third ends them.
            simulator.endAllSessions()
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings = 0")
                    == 12)
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings = 1")
                    == 12)
            let last = await harness.pass()
            #expect(last.stats.sessionsEnded == 12)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE status = 'ended' AND ended_at = last_seen_at")
                    == 12)
        }
    }

    @Test(
        "an empty page 2 with total 0 after a page 1 with sessions is not believed", arguments: ArchiveChoice.allCases)
    func emptiedMidway(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 30)
        try await Fixture.withHarness(simulator, archive: archive) { harness throws in
            #expect(await harness.pass().result == .succeeded)
            harness.server.faults.inject(
                FaultRule(
                    method: "POST", pathContains: "/assist/sessions", skip: 1, times: 1,
                    fault: .status(200, body: #"{"data":{"total":0,"sessions":[]}}"#))
            )
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                outcome.progress.warnings.contains {
                    $0.contains("page 2 came back empty with total 0 although page 1 reported 30")
                })
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE absent_listings > 0") == 0)
        }
    }

    @Test(
        "rows repeated by offset paging over a growing set are archived once, and nothing is counted absent",
        arguments: ArchiveChoice.allCases)
    func repeatedRows(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 30)
        try await Fixture.withHarness(simulator, archive: archive) { harness throws in
            // Three sessions start before page 2 is answered: page 2 repeats the last three rows of page 1.
            simulator.startSessions(3, beforePage: 2)
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(harness.server.log.matching("/assist/sessions").count == 4)
            #expect(outcome.stats.sessionsInserted == 30)
            #expect(outcome.stats.sessionsUnchanged == 0)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 30)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'listing'")
                    == #"{"sessions":30,"awaitingConfirmation":false}"#)

            let next = await harness.pass()
            #expect(next.stats.sessionsInserted == 3)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live' AND absent_listings = 0")
                    == 33)
        }
    }

    /// status, ended_at, absent_listings.
    private func state(of id: String, in harness: ProviderHarness) async throws -> [String?] {
        try await harness.rows(
            "SELECT status, ended_at, absent_listings FROM sessions WHERE external_id = ?", .text(id)
        )
        .first ?? []
    }
}
