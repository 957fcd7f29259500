import Archive
import Foundation
import Providers
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Synchronization
import Testing

@Suite("RealtimeKit: error envelopes, faults and secrecy")
struct RealtimeKitErrorTests {
    @Test(
        "both error envelopes are read: RealtimeKit's error object and Cloudflare's errors list",
        arguments: ArchiveChoice.allCases)
    func envelopes(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 1), archive: archive) { fixture in
            let provider = RealtimeKitProvider(source: fixture.harness.source)
            let own = #"{"success": false, "error": {"code": 404, "message": "Session not found"}}"#
            #expect(provider.describeError(status: 404, body: Array(own.utf8)) == "Session not found (code 404)")
            let gateway =
                #"{"success":false,"errors":[{"code":10000,"message":"Authentication error"},{"code":9109,"message":"Unauthorized"}],"messages":[],"result":null}"#
            #expect(
                provider.describeError(status: 401, body: Array(gateway.utf8))
                    == "Authentication error (code 10000); Unauthorized (code 9109)")
            #expect(provider.describeError(status: 502, body: Array("<html>Bad gateway</html>".utf8)) == nil)
        }
    }

    @Test(
        "a refused token fails the run with Cloudflare's message and archives nothing",
        arguments: ArchiveChoice.allCases)
    func badToken(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 5), token: "not-the-token", archive: archive
        ) {
            fixture throws in
            let outcome = await fixture.harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("HTTP 401"))
            #expect(message.contains("Authentication error (code 10000)"))
            #expect(message.contains("GET /realtime/kit/{app_id}/sessions"))
            #expect(fixture.harness.server.log.count == 1, "a 401 is not retried")
            #expect(try await fixture.harness.count("SELECT count(*) FROM sessions") == 0)
            #expect(try await fixture.harness.text("SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1") == "failed")
            #expect(
                try await fixture.harness.text("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1")?.contains(
                    "Authentication error") == true)
        }
    }

    @Test("an unknown app fails with RealtimeKit's own error message", arguments: ArchiveChoice.allCases)
    func unknownApp(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 5), appID: "0000000000000000000000000000dead", archive: archive
        ) { fixture in
            guard case .failed(let message) = await fixture.harness.pass().result else {
                Issue.record("expected a failed run")
                return
            }
            #expect(message.contains("HTTP 404"))
            #expect(message.contains("App not found (code 404)"))
        }
    }

    @Test(
        "success: false inside an HTTP 200 fails the run with the message; the listing writes nothing, the later stages still run",
        arguments: ArchiveChoice.allCases)
    func successFalse(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 15, live: 1), archive: archive) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            #expect(await harness.pass().result == .succeeded)
            let sessions = try await harness.count("SELECT count(*) FROM sessions")
            let cursor = try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created_at'")
            let ended = simulator.liveSessionIDs[0]
            simulator.endSession(ended)
            simulator.startSession()
            simulator.answerSuccessFalse(times: 1)
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("Something went wrong while processing the request (code 500)"))
            #expect(message.contains("GET /realtime/kit/{app_id}/sessions reported an error"))
            // The new session only the listing would bring is not archived, and the cursor stays.
            #expect(try await harness.count("SELECT count(*) FROM sessions") == sessions)
            #expect(try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created_at'") == cursor)
            // The revisit of the live session, a later stage, still ran and saw it end.
            #expect(
                try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(ended)) == "ended")
        }
    }

    @Test(
        "a malformed or truncated listing fails the run naming the endpoint; archived rows and cursor stay",
        arguments: [Fault.malformedBody, .truncatedBody], ArchiveChoice.allCases)
    func malformed(fault: Fault, archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 15, live: 1), archive: archive) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            let live = simulator.liveSessionIDs[0]
            simulator.endSession(live)
            simulator.startSession()
            // A truncated answer looks like a broken connection to the client, which retries it: keep it broken.
            harness.server.faults.inject(FaultRule(pathContains: "/sessions", times: nil, fault: fault))
            let outcome = await harness.pass()
            guard case .failed(let message) = outcome.result else {
                Issue.record("expected a failed run, got \(outcome.result)")
                return
            }
            #expect(message.contains("GET /realtime/kit/{app_id}/sessions "))
            if case .malformedBody = fault {
                #expect(message.contains("sent a response that could not be read"))
            }
            // The live session's revisit met the same fault: its failure is recorded on its item, and that is all.
            #expect(try await harness.archiveDigest(ignoringQueueKinds: ["revisit"]) == digest)
            #expect(try await fixture.queue("revisit", live)?.state == "pending")
            // The next pass catches up.
            harness.server.faults.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 16)
        }
    }

    @Test(
        "a details answer without a usable session is that revisit's failure: a warning naming the JSON path, nothing written",
        arguments: ArchiveChoice.allCases)
    func malformedDetails(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 4, live: 1), archive: archive) {
            fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            let live = fixture.simulator.liveSessionIDs[0]
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/sessions/\(live)",
                    fault: .status(200, body: #"{"success": true, "data": {"session": {"id": 7}}}"#)))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            let message = try #require(outcome.progress.warnings.first { $0.contains("revisit item(s) failed") })
            #expect(message.contains("GET /realtime/kit/{app_id}/sessions/{session_id}"))
            #expect(message.contains("data.session"))
            #expect(try await harness.archiveDigest(ignoringQueueKinds: ["revisit"]) == digest)
            let item = try #require(try await fixture.queue("revisit", live))
            #expect(item.state == "pending" && item.lastError?.contains("data.session") == true)
        }
    }

    @Test(
        "429 with Retry-After, 503 and a dropped connection are retried and the pass succeeds",
        arguments: ArchiveChoice.allCases)
    func retriedFaults(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 12, live: 1), extra: #", "transcripts": true"#, archive: archive
        ) { fixture throws in
            let harness = fixture.harness
            harness.server.faults.inject(FaultRule(pathContains: "/sessions", fault: .tooManyRequests(retryAfter: "7")))
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/participants", skip: 2,
                    fault: .status(503, body: #"{"success":false,"error":{"code":503,"message":"busy"}}"#)))
            harness.server.faults.inject(FaultRule(pathContains: "/chat", skip: 1, fault: .dropConnection))
            fixture.exports.faults.inject(
                FaultRule(
                    pathContains: "/transcript.csv",
                    fault: .status(
                        500, body: "<Error><Code>InternalError</Code></Error>", contentType: "application/xml")))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(harness.sleeps.withLock { $0 }.contains(.seconds(7)), "Retry-After is honoured")
            #expect(harness.server.log.all.filter(\.faulted).count == 3)
            #expect(fixture.exports.log.all.filter(\.faulted).count == 1)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 12)
            #expect(try await harness.count("SELECT count(*) FROM fetch_queue WHERE state != 'done'") == 0)
        }
    }

    @Test("the token never reaches the logs, the archive or the storage host", arguments: ArchiveChoice.allCases)
    func secrecy(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 10, live: 2), extra: #", "transcripts": true"#, archive: archive
        ) { fixture in
            let harness = fixture.harness
            fixture.simulator.setExportDelay(.seconds(3600))
            fixture.simulator.endSession(fixture.simulator.liveSessionIDs[0])
            harness.server.faults.inject(FaultRule(pathContains: "/participants", fault: .status(503)))
            #expect(await harness.pass().result == .succeeded)
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE state = 'pending' AND last_error IS NOT NULL")
                    > 0)
            try await RealtimeKitFixture.with(
                RealtimeKitFixture.options(sessions: 1), token: RealtimeKitFixture.token + "-revoked", archive: archive
            ) { wrong throws in
                #expect(await wrong.harness.pass().failed)

                for text in [harness.logs.text, wrong.harness.logs.text] {
                    #expect(!text.isEmpty)
                    #expect(!text.contains(RealtimeKitFixture.token))
                }
                #expect(try await !harness.archiveContains(text: RealtimeKitFixture.token))
                #expect(try await !wrong.harness.archiveContains(text: RealtimeKitFixture.token))
                #expect(fixture.exports.log.count > 0)
                #expect(
                    fixture.exports.log.all.allSatisfy { entry in
                        !entry.request.headers.contains { $0.1.contains(RealtimeKitFixture.token) }
                    })
            }
        }
    }
}
