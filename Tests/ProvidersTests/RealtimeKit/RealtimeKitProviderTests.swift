import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

extension RealtimeKitSimulator.PagingPlacement: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .topLevel: "paging at the top level"
        case .insideData: "paging inside data"
        case .absent: "no paging"
        }
    }
}

@Suite("RealtimeKit: sessions listed oldest first, live ones revisited, participants paged")
struct RealtimeKitProviderTests {
    @Test(
        "a listing over several pages archives every session, ending on paging or on a short page",
        arguments: [
            (RealtimeKitSimulator.PagingPlacement.topLevel, 4), (.insideData, 4), (.absent, 5),
        ], ArchiveChoice.allCases
    )
    func listing(paging: (placement: RealtimeKitSimulator.PagingPlacement, pages: Int), archive: ArchiveChoice)
        async throws
    {
        let expectedPages = paging.pages
        var options = RealtimeKitFixture.options(sessions: 40, live: 2)
        options.paging = paging.placement
        try await RealtimeKitFixture.with(options, extra: #", "participants": false, "chat": false"#, archive: archive)
        {
            fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 40)

            // 40 sessions, 10 a page: the fourth page is full, so only `paging` tells that it is the last.
            let pages = fixture.requests(endingWith: "/sessions")
            #expect(pages.count == expectedPages)
            #expect(pages.map { $0.query("page_no") } == (1...expectedPages).map { String($0) })
            for page in pages {
                #expect(
                    page.path
                        == "/accounts/\(RealtimeKitFixture.accountID)/realtime/kit/\(RealtimeKitFixture.appID)/sessions"
                )
                #expect(page.query("sort_by") == "createdAt")
                #expect(page.query("sort_order") == "ASC")
                #expect(page.query("per_page") == "10")
                #expect(page.query("start_time") == options.clock.now.subtracting(.seconds(3 * 86_400)).iso8601)
                #expect(page.header("Authorization") == "Bearer \(RealtimeKitFixture.token)")
            }

            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'") == 2)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'ended'") == 38)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE kind NOT IN ('meeting', 'livestream', 'participant')") == 0)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE kind = raw ->> 'type'") == 40)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE title = raw ->> 'meeting_display_name'") == 40)
            // Ended sessions carry their end and duration; live ones neither.
            let ended = try await harness.rows(
                "SELECT started_at, ended_at, duration_seconds FROM sessions WHERE status = 'ended' AND ended_at IS NOT NULL"
            )
            let durationsMatch = ended.filter { row in
                guard let start = row[0].flatMap(Timestamp.init(iso8601:)),
                    let end = row[1].flatMap(Timestamp.init(iso8601:)),
                    let seconds = row[2].flatMap(Double.init)
                else { return false }
                return abs(seconds - Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000) < 0.01
            }
            #expect(durationsMatch.count == 38)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE status = 'live' AND ended_at IS NULL AND duration_seconds IS NULL"
                ) == 2)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE metadata ->> 'associated_id' = raw ->> 'associated_id' AND metadata ->> 'minutes_consumed' = raw ->> 'minutes_consumed' AND metadata ->> 'max_concurrent_participants' IS NOT NULL AND metadata ->> 'live_participants' IS NOT NULL"
                ) == 40)
            #expect(try await harness.count("SELECT count(*) FROM session_metadata WHERE key = 'associated_id'") == 40)
            // The cursor is the newest created_at the listing brought.
            let newest = try await harness.text("SELECT max(raw ->> 'created_at') FROM sessions")
            #expect(try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created_at'") == newest)
        }
    }

    @Test("a second pass reads only from the cursor minus the lookback", arguments: ArchiveChoice.allCases)
    func incrementalListing(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 40), extra: #", "participants": false, "chat": false"#,
            archive: archive
        ) { fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            let cursor = try #require(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'created_at'").flatMap(
                    Timestamp.init(iso8601:)))
            harness.server.log.clear()
            fixture.simulator.startSession(lasting: .seconds(600))
            #expect(await harness.pass().result == .succeeded)
            let pages = fixture.requests(endingWith: "/sessions")
            #expect(pages.count == 1)
            #expect(pages.first?.query("start_time") == cursor.subtracting(.seconds(600)).iso8601)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 41)
        }
    }

    @Test(
        "live sessions are re-read until they end (both details shapes), then left alone",
        arguments: ArchiveChoice.allCases)
    func liveRevisits(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 12, live: 3), extra: #", "chat": false"#, archive: archive
        ) { fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            let live = simulator.liveSessionIDs
            #expect(live.count == 3)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'") == 3)

            // Nothing changed: each live session is read once with GET /sessions/{id} (data.session shape).
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Set(live.flatMap { fixture.requests(endingWith: "/sessions/\($0)") }.map(\.path)).count == 3)
            #expect(fixture.requests(endingWith: "/participants").isEmpty)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE status = 'live' AND detail_raw -> 'session' ->> 'id' = external_id"
                ) == 3)

            // One ends by hand, one by the clock (the first live one ends an hour after the simulator started).
            simulator.setDetailShape(.flat)
            simulator.endSession(live[2])
            fixture.simulator.options.clock.advance(by: .seconds(3600 + 60))
            #expect(simulator.status(of: live[0])?.live == false)
            #expect(simulator.status(of: live[1])?.live == true)
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(live[0])").count == 1)
            for id in [live[0], live[2]] {
                let row = try #require(
                    try await harness.rows(
                        "SELECT status, ended_at, duration_seconds, detail_raw ->> 'id' FROM sessions WHERE external_id = ?",
                        .text(id)
                    ).first)
                #expect(row[0] == "ended")
                #expect(row[1] == simulator.status(of: id)?.endedAt?.iso8601)
                #expect(row[2] != nil)
                #expect(row[3] == id, "the flat details shape (the session as data) is read as well")
                // The end changed updated_at: its participants were fetched again.
                #expect(fixture.requests(endingWith: "/sessions/\(id)/participants").count == 1)
            }
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'") == 1)

            // Ended sessions are not read again; the one still live is.
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(fixture.requests(endingWith: "/sessions/\(live[0])").isEmpty)
            #expect(fixture.requests(endingWith: "/sessions/\(live[2])").isEmpty)
            #expect(fixture.requests(endingWith: "/sessions/\(live[1])").count == 1)
        }
    }

    @Test(
        "participants are read over several pages, durations converted from minutes to seconds",
        arguments: ArchiveChoice.allCases)
    func participants(archive: ArchiveChoice) async throws {
        var options = RealtimeKitFixture.options(sessions: 3, participants: 23...23)
        options.paging = .insideData
        try await RealtimeKitFixture.with(options, extra: #", "chat": false"#, archive: archive) { fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM participants") == 69)
            for id in simulator.sessionIDs {
                let pages = fixture.requests(endingWith: "/sessions/\(id)/participants")
                #expect(pages.map { $0.query("page_no") } == ["1", "2", "3"])
                #expect(pages.allSatisfy { $0.query("per_page") == "10" })
                let minutes = simulator.participantMinutes(of: id)
                #expect(minutes.count == 23)
                let rows = try await harness.rows(
                    "SELECT p.external_id, p.duration_seconds, p.role, p.user_id, p.display_name, p.joined_at, p.left_at, p.raw ->> 'duration' FROM participants p JOIN sessions s ON s.id = p.session_id WHERE s.external_id = ?",
                    .text(id)
                )
                #expect(Set(rows.map { $0[0] ?? "" }) == Set(minutes.keys))
                for row in rows {
                    let expected = try #require(minutes[row[0] ?? ""]) * 60
                    let stored = try #require(row[1].flatMap(Double.init))
                    #expect(abs(stored - expected) < 0.001, "\(stored) s for \(expected / 60) min")
                    #expect(row[2]?.contains("_") == true, "role is the preset name")
                    #expect(row[3] != nil && row[4] != nil && row[5] != nil && row[6] != nil)
                    #expect(row[7].flatMap(Double.init) == minutes[row[0] ?? ""], "raw keeps the API's minutes")
                }
            }
            #expect(
                try await harness.count("SELECT count(*) FROM participants WHERE user_id IS NULL OR joined_at IS NULL")
                    == 0)
        }
    }

    @Test(
        "an unchanged pass changes no row and costs one request, plus one per live session",
        arguments: ArchiveChoice.allCases)
    func unchangedPass(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 25, live: 2), extra: #", "transcripts": true"#, archive: archive
        ) { fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            // The second pass reads the live sessions' details for the first time (detail_raw).
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            harness.server.log.clear()
            fixture.exports.log.clear()
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(outcome.stats.rowsWritten == 0)
            #expect(outcome.stats.sessionsUpserted == 0)
            #expect(harness.server.log.count == 3, "\(harness.server.log.all.map(\.request.path))")
            #expect(fixture.exports.log.count == 0)
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test(
        "a pass with no live session and nothing new changes nothing with a single request",
        arguments: ArchiveChoice.allCases)
    func unchangedWithoutLive(archive: ArchiveChoice) async throws {
        try await RealtimeKitFixture.with(
            RealtimeKitFixture.options(sessions: 25), extra: #", "transcripts": true"#, archive: archive
        ) {
            fixture in
            let harness = fixture.harness
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM fetch_queue WHERE state != 'done'") == 0)
            let digest = try await harness.archiveDigest()
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.count == 1)
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test(
        "with activity switched on (the demo), meetings start and end as the clock moves, and the archive follows",
        arguments: ArchiveChoice.allCases)
    func activity(archive: ArchiveChoice) async throws {
        var options = RealtimeKitFixture.options(sessions: 5)
        options.activityEvery = .seconds(60)
        options.exportDelay = .seconds(30)
        try await RealtimeKitFixture.with(options, extra: #", "transcripts": true"#, archive: archive) { fixture in
            let (harness, simulator) = (fixture.harness, fixture.simulator)
            #expect(await harness.pass().result == .succeeded)
            options.clock.advance(by: .seconds(180))
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 8)
            #expect(!simulator.liveSessionIDs.isEmpty)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE status = 'live'")
                    == simulator.liveSessionIDs.count)
            // Twenty minutes on: twenty more meetings, most of them over, their exports in once 30 s have passed.
            options.clock.advance(by: .seconds(1200))
            #expect(await harness.pass().result == .succeeded)
            #expect(simulator.sessionIDs.count == 28)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 28)
            for id in simulator.sessionIDs {
                let archived = try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(id))
                #expect(archived == (simulator.status(of: id)?.live == true ? "live" : "ended"))
            }
            let now = options.clock.now
            let exportable = simulator.sessionIDs.filter { id in
                guard let ended = simulator.status(of: id)?.endedAt else { return false }
                return ended.adding(.seconds(30)) <= now
            }
            #expect(exportable.count > 5)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE kind IN ('chat', 'transcript') AND state = 'done'") == 2
                    * exportable.count)
        }
    }
}
