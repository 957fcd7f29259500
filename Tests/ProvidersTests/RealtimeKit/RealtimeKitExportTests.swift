import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

extension RealtimeKitSimulator.NotReadyAnswer: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .notFound: "404 with an error envelope"
        case .successFalse: "200 with success: false"
        case .nullLink: "200 with a null link"
        }
    }
}

@Suite("RealtimeKit: chat and transcript exports downloaded from the storage host")
struct RealtimeKitExportTests {
    @Test(
        "chat and transcript CSVs are read exactly (quotes, commas, line breaks, unicode) without sending the token to the storage host",
        arguments: ArchiveChoice.allCases)
    func exports(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 6), extra: #", "transcripts": true"#, archive: archive
        ) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)

            // The oldest session has every awkward chat payload and transcript line, in order.
            let oldest = simulator.sessionIDs[0]
            let chat = simulator.chat(of: oldest)
            #expect(chat.map(\.payload) == RealtimeKitSampleTextForTests.chat)
            let messages = try await harness.rows(
                "SELECT m.external_id, m.sender, m.body, m.content_type, m.sent_at, m.raw ->> 'payload', m.raw ->> 'sessionId' FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ? ORDER BY m.id",
                .text(oldest)
            )
            #expect(messages.map { $0[0] } == chat.map(\.id))
            #expect(messages.map { $0[1] } == chat.map(\.sender))
            #expect(messages.map { $0[2] } == chat.map(\.payload))
            #expect(messages.map { $0[5] } == chat.map(\.payload), "raw is the CSV row as a JSON object")
            #expect(messages.allSatisfy { $0[3] == "TEXT_MESSAGE" && $0[4]?.hasSuffix("Z") == true && $0[6] == oldest })

            let transcript = simulator.transcript(of: oldest)
            #expect(transcript.map(\.text) == RealtimeKitSampleTextForTests.transcript)
            let lines = try await harness.rows(
                "SELECT t.seq, t.participant_external_id, t.speaker, t.text, t.spoken_at FROM transcripts t JOIN sessions s ON s.id = t.session_id WHERE s.external_id = ? ORDER BY t.seq",
                .text(oldest)
            )
            #expect(lines.map { $0[0] } == transcript.indices.map { String($0) })
            #expect(lines.map { $0[1] } == transcript.map(\.participantID))
            #expect(lines.map { $0[2] } == transcript.map(\.speaker))
            #expect(lines.map { $0[3] } == transcript.map(\.text))
            #expect(lines.allSatisfy { $0[4]?.hasSuffix("Z") == true })

            // Every session's export arrived, and every message of every session.
            let total = simulator.sessionIDs.reduce(0) { $0 + simulator.chat(of: $1).count }
            #expect(try await harness.count("SELECT count(*) FROM messages") == total)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE kind IN ('chat', 'transcript') AND state = 'done'") == 12)

            // The storage host got every download, none with credentials; the API got them all.
            let downloads = fixture.exports.log.all
            #expect(downloads.count == 12)
            for entry in downloads {
                #expect(entry.status == 200)
                #expect(entry.request.header("Authorization") == nil)
                #expect(!entry.request.headers.contains { $0.1.contains(RealtimeKitFixture.token) })
                #expect(entry.request.query("X-Amz-Signature") != nil)
            }
            #expect(
                harness.server.log.all.allSatisfy {
                    $0.request.header("Authorization") == "Bearer \(RealtimeKitFixture.token)"
                })
        }
    }

    @Test("the storage host refuses a request that carries an Authorization header", arguments: ArchiveChoice.allCases)
    func storageRefusesCredentials(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 1), archive: archive) { fixture in
            #expect(await fixture.harness.pass().result == .succeeded)
            let download = try #require(fixture.exports.log.all.first?.request)
            let uri = download.path + "?" + download.queryItems.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
            let withToken = SimulatedRequest(
                method: "GET", uri: uri, headers: [("Authorization", "Bearer x")], body: [])
            #expect(fixture.simulator.exportHost.respond(to: withToken).status == 400)
            let plain = SimulatedRequest(method: "GET", uri: uri, headers: [], body: [])
            #expect(fixture.simulator.exportHost.respond(to: plain).status == 200)
            // A day later the signed link has expired.
            fixture.simulator.options.clock.advance(by: .seconds(86_400 + 1))
            #expect(fixture.simulator.exportHost.respond(to: plain).status == 403)
        }
    }

    @Test(
        "an export that is not ready yet is retried on later passes until it is",
        arguments: [RealtimeKitSimulator.NotReadyAnswer.notFound, .successFalse, .nullLink], ArchiveChoice.allCases)
    func notReadyYet(answer: RealtimeKitSimulator.NotReadyAnswer, archive: ArchiveChoice) async throws {
        var options = RealtimeKitFixture.options(sessions: 2)
        options.notReadyAnswer = answer
        try await RealtimeKitFixture.with(options, archive: archive) { fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            simulator.setExportDelay(.seconds(600))
            let id = simulator.startSession()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await fixture.queue("chat", id) == nil, "no export is asked for while the session is live")

            simulator.options.clock.advance(by: .seconds(300))
            simulator.endSession(id)
            #expect(await harness.pass().result == .succeeded)
            let pending = try #require(try await fixture.queue("chat", id))
            #expect(pending.state == "pending")
            #expect(pending.lastError?.contains("GET /realtime/kit/{app_id}/sessions/{session_id}/chat") == true)
            #expect(pending.nextAttemptAt == nil, "a session that just ended is asked again on the next pass")
            #expect(fixture.exports.log.count == 2, "only the two older sessions' chat files were downloaded")

            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(id)/chat").count == 1)
            #expect(try await fixture.queue("chat", id)?.state == "pending")
            #expect(try await fixture.harness.statusText().contains("chat: 1 pending"))

            simulator.options.clock.advance(by: .seconds(601))
            #expect(await harness.pass().result == .succeeded)
            #expect(try await fixture.queue("chat", id)?.state == "done")
            #expect(try await fixture.queue("chat", id)?.lastError == nil)
            let archived = try await harness.count(
                "SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ?",
                .text(id))
            #expect(archived == simulator.chat(of: id).count)
        }
    }

    @Test(
        "an export never ready is given up once upstream retention has passed, and status says so",
        arguments: ArchiveChoice.allCases)
    func givenUpAfterRetention(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 2), extra: #", "transcripts": true"#, archive: archive
        ) {
            fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            simulator.setExportDelay(.seconds(30 * 86_400))
            let id = simulator.startSession()
            simulator.options.clock.advance(by: .seconds(1200))
            simulator.endSession(id)
            #expect(await harness.pass().result == .succeeded)
            #expect(try await fixture.queue("chat", id)?.state == "pending")
            #expect(try await fixture.queue("transcript", id)?.state == "pending")
            let deadline = try await harness.text(
                "SELECT expires_at FROM fetch_queue WHERE kind = 'chat' AND external_id = ?", .text(id))
            #expect(deadline == simulator.status(of: id)?.endedAt?.adding(.seconds(7 * 86_400)).iso8601)

            // Six days on, still pending and still asked for.
            try await fixture.ageQueue(by: .seconds(6 * 86_400))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(id)/chat").count == 1)
            #expect(try await fixture.queue("chat", id)?.state == "pending")

            // Past seven days: given up without another request.
            try await fixture.ageQueue(by: .seconds(2 * 86_400))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/chat").isEmpty)
            #expect(fixture.requests(endingWith: "/transcript").isEmpty)
            let given = try #require(try await fixture.queue("chat", id))
            #expect(given.state == "gave_up")
            #expect(given.lastError?.contains("past its deadline") == true)
            #expect(
                given.lastError?.contains("not available yet") == true, "the last upstream answer stays in the error")
            let status = try await fixture.harness.statusText()
            #expect(status.contains("chat: 0 pending, 2 done, 1 given up"))
            #expect(status.contains("transcript: 0 pending, 2 done, 1 given up"))
        }
    }

    @Test(
        "a chat export that cannot be read is retried a few times, then given up with a warning, without failing the source",
        arguments: ArchiveChoice.allCases)
    func unreadableExport(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(RealtimeKitFixture.options(sessions: 2), archive: archive) { fixture throws in
            let harness = fixture.harness
            let broken = fixture.simulator.sessionIDs[0]
            fixture.exports.faults.inject(
                FaultRule(
                    pathContains: "/\(broken)/chat.csv", times: 3,
                    fault: .status(200, body: "not,a,chat\r\nexport,at,all\r\n", contentType: "text/csv")))
            for attempt in 1...3 {
                let outcome = await harness.pass()
                #expect(outcome.result == .succeeded)
                #expect(
                    outcome.progress.warnings.contains { $0.contains("header lacks column(s) id, payload") },
                    "attempt \(attempt)")
            }
            #expect(try await fixture.queue("chat", broken)?.state == "gave_up")
            #expect(try await fixture.queue("chat", broken)?.lastError?.contains("could not be read") == true)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ?",
                    .text(broken)) == 0)
            #expect(
                try await harness.count("SELECT count(*) FROM fetch_queue WHERE kind = 'chat' AND state = 'done'") == 1)
        }
    }
}

/// The simulator's awkward sample lines, restated here so that a change on either side shows.
enum RealtimeKitSampleTextForTests {
    static let chat = [
        "Hello everyone",
        "Can you hear me, or is my mic off?",
        "He said \"ship it\", so we did",
        "line one\nline two\nline three",
        "CRLF inside\r\na message",
        "Ünïcödé: café, naïve, 日本語, Ελληνικά, العربية 🎉🚀",
        "e\u{301} (combining accent) and \"quote\" then,comma",
        "",
        "   leading and trailing spaces   ",
        "https://example.com/slides?deck=1&page=2",
    ]

    static let transcript = [
        "Good morning, everyone.",
        "Let's start with the numbers: 1,234 users, up 5%.",
        "She asked, \"is that final?\"",
        "Two lines\nof speech",
        "Merci beaucoup — ça marche très bien 👍",
        "好的，我们开始吧。",
    ]
}
