import Archive
import Foundation
import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Simulators
import SyncEngine
import Testing

@Suite("OpenReplay: listing live sessions in both API styles, filters, updates")
struct OpenReplayListingTests {
    typealias Fixture = OpenReplayFixture

    @Test(
        "public style: a listing over several pages archives every live session with its columns and metadata",
        arguments: ArchiveChoice.allCases)
    func publicFullListing(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 57)
        try await Fixture.withHarness(simulator, archive: archive) { harness in
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(outcome.stats.sessionsInserted == 57)

            let requests = harness.server.log.matching("/assist/sessions")
            #expect(requests.count == 6)
            for entry in requests {
                #expect(entry.request.method == "POST")
                #expect(entry.request.path == "/public/\(Fixture.projectKey)/assist/sessions")
                #expect(entry.request.header("Authorization") == "Bearer \(Fixture.key)")
            }
            let bodies = Fixture.searchBodies(harness)
            #expect(bodies.map { $0["page"]?.int } == [1, 2, 3, 4, 5, 6])
            #expect(
                bodies.allSatisfy {
                    $0["limit"]?.int == 10 && $0["order"]?.string == "desc" && $0["filters"]?.rawText == "[]"
                })

            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE kind = 'web' AND status = 'live' AND ended_at IS NULL") == 57)
            try await expectMapped(simulator.liveSessions, in: harness)
            #expect(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'listing'")
                    == #"{"sessions":57,"awaitingConfirmation":false}"#)
        }
    }

    @Test(
        "legacy style: the raw key, upper-case order, projectId as a number, over several pages",
        arguments: ArchiveChoice.allCases)
    func legacyFullListing(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 34)
        try await Fixture.withHarness(simulator, style: "legacy", pageSize: 8, archive: archive) { harness in
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)

            let requests = harness.server.log.matching("/assist/sessions")
            #expect(requests.count == 5)
            for entry in requests {
                #expect(entry.request.path == "/api/v1/\(Fixture.projectKey)/assist/sessions")
                #expect(entry.request.header("Authorization") == Fixture.key)
            }
            let bodies = Fixture.searchBodies(harness)
            #expect(bodies.map { $0["page"]?.int } == [1, 2, 3, 4, 5])
            #expect(bodies.allSatisfy { $0["limit"]?.int == 8 && $0["order"]?.string == "DESC" })
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE kind = 'web' AND status = 'live'") == 34)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE raw -> 'projectId' = '3' AND raw -> 'live' = 'true'"
                ) == 34)
            try await expectMapped(simulator.liveSessions, in: harness)
        }
    }

    @Test(
        "public style: filters go as v2 filters; METADATA is sent as metadata_<key>, and the server's is/contains apply",
        arguments: ArchiveChoice.allCases)
    func publicFilters(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 40)
        let wanted = simulator.startSession {
            $0.userID = "Dev@OpenReplay.com"
            $0.metadata = ["plan": "trial"]
        }
        let wrongCase = simulator.startSession {
            $0.userID = "dev@openreplay.com"
            $0.metadata = ["plan": "Trial"]
        }
        try await Fixture.withHarness(
            simulator,
            extra:
                #", "filters": [{"name": "METADATA", "source": "plan", "operator": "is", "value": ["trial", "free"]}, {"name": "USERID", "value": ["openreplay"]}]"#,
            archive: archive
        ) { harness in
            #expect(await harness.pass().result == .succeeded)

            let filters = try #require(Fixture.searchBodies(harness).first?["filters"]).rawText
            #expect(
                filters
                    == #"[{"name":"metadata_plan","operator":"is","value":["trial","free"],"source":"plan"},{"name":"userId","operator":"contains","value":["openreplay"]}]"#
            )
            let expected = simulator.liveSessions.filter { session in
                ["trial", "free"].contains(session.metadata["plan"] ?? "")
                    && session.userID.lowercased().contains("openreplay")
            }
            #expect(expected.count >= 2)
            #expect(Set(try await archivedIDs(harness)) == Set(expected.map(\.sessionID)))
            #expect(try await archivedIDs(harness).contains(wanted))
            #expect(
                !(try await archivedIDs(harness)).contains(wrongCase),
                "\"is\" is case-sensitive: plan \"Trial\" is not \"trial\"")
        }
    }

    @Test("public style: userId becomes an exact userId filter", arguments: ArchiveChoice.allCases)
    func publicUserID(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 30)
        let ada = simulator.startSession { $0.userID = "ada@example.com" }
        let shouting = simulator.startSession { $0.userID = "ADA@example.com" }
        try await Fixture.withHarness(simulator, extra: #", "userId": "ada@example.com""#, archive: archive) {
            harness in
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try #require(Fixture.searchBodies(harness).first?["filters"]).rawText
                    == #"[{"name":"userId","operator":"is","value":["ada@example.com"]}]"#)
            let ids = try await archivedIDs(harness)
            #expect(Set(ids) == Set(simulator.liveSessions.filter { $0.userID == "ada@example.com" }.map(\.sessionID)))
            #expect(ids.contains(ada))
            #expect(!ids.contains(shouting))
        }
    }

    @Test(
        "legacy style: filters go with type and no operator, userId as USERID, and match as contains",
        arguments: ArchiveChoice.allCases)
    func legacyFilters(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 40)
        let upper = simulator.startSession {
            $0.userID = "DEV@openreplay.com"
            $0.metadata = ["plan": "Free-2024"]
        }
        try await Fixture.withHarness(
            simulator, style: "legacy",
            extra:
                #", "userId": "dev@openreplay.com", "filters": [{"name": "METADATA", "source": "plan", "value": ["trial", "free"]}]"#,
            archive: archive
        ) { harness in
            #expect(await harness.pass().result == .succeeded)
            let body = try #require(Fixture.searchBodies(harness).first)
            #expect(
                body["filters"]?.rawText
                    == #"[{"type":"METADATA","value":["trial","free"],"source":"plan"},{"type":"USERID","value":["dev@openreplay.com"]}]"#
            )
            let expected = simulator.liveSessions.filter { session in
                let plan = (session.metadata["plan"] ?? "").lowercased()
                return (plan.contains("trial") || plan.contains("free"))
                    && session.userID.lowercased().contains("dev@openreplay.com")
            }
            #expect(Set(try await archivedIDs(harness)) == Set(expected.map(\.sessionID)))
            #expect(try await archivedIDs(harness).contains(upper))
        }
    }

    @Test(
        "legacy style: a configured \"is\" draws a config warning and is not sent; type works as the key's name",
        arguments: ArchiveChoice.allCases)
    func legacyOperatorWarning(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 30)
        try await Fixture.withHarness(
            simulator, style: "legacy",
            extra: #", "filters": [{"type": "USEROS", "operator": "is", "value": ["mac"]}]"#, archive: archive
        ) { harness throws in
            #expect(
                harness.configuration.warnings.contains {
                    $0.path == "sources[0].filters[0].operator" && $0.message.contains("always matches \"contains\"")
                })
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try #require(Fixture.searchBodies(harness).first?["filters"]).rawText
                    == #"[{"type":"USEROS","value":["mac"]}]"#)
            let expected = simulator.liveSessions.filter { $0.userOs.lowercased().contains("mac") }
            #expect(!expected.isEmpty)
            #expect(Set(try await archivedIDs(harness)) == Set(expected.map(\.sessionID)))
        }
    }

    @Test(
        "changes of a live session are archived; an unchanged pass changes nothing", arguments: ArchiveChoice.allCases)
    func updatesAndUnchangedPass(archive: ArchiveChoice) async throws {
        let simulator = Fixture.simulator(sessions: 25)
        try await Fixture.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()

            let unchanged = await harness.pass()
            #expect(unchanged.result == .succeeded)
            #expect(unchanged.stats.sessionsUpserted == 0)
            #expect(unchanged.stats.rowsWritten == 0)
            #expect(try await harness.archiveDigest() == digest)

            let target = simulator.liveSessions[13]
            simulator.updateSession(target.sessionID) {
                $0.userID = "new.user@example.com"
                $0.pageTitle = "Checkout — step 2"
                $0.metadata = ["plan": "pro", "seats": "12"]
                $0.active.toggle()
            }
            let changed = await harness.pass()
            #expect(changed.result == .succeeded)
            #expect(changed.stats.sessionsChanged == 1)
            #expect(changed.stats.sessionsInserted == 0)
            let row = try #require(
                try await harness.rows(
                    "SELECT user_id, title, metadata -> 'metadata' ->> 'plan', metadata -> 'active' = 'true' FROM sessions WHERE external_id = ?",
                    .text(target.sessionID)
                ).first)
            #expect(row == ["new.user@example.com", "Checkout — step 2", "pro", target.active ? "0" : "1"])
            let entries = try await harness.rows(
                "SELECT m.key, m.value FROM session_metadata m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ? ORDER BY m.key",
                .text(target.sessionID)
            )
            #expect(entries == [["plan", "pro"], ["seats", "12"]])

            // Only the page title moves: one more change, nothing else.
            simulator.updateSession(target.sessionID) { $0.pageTitle = "Thank you" }
            let titleOnly = await harness.pass()
            #expect(titleOnly.stats.sessionsChanged == 1)
            #expect(
                try await harness.text("SELECT title FROM sessions WHERE external_id = ?", .text(target.sessionID))
                    == "Thank you")
            let settled = try await harness.archiveDigest()
            #expect(await harness.pass().stats.rowsWritten == 0)
            #expect(try await harness.archiveDigest() == settled)
        }
    }

    // MARK: Helpers

    private func archivedIDs(_ harness: ProviderHarness) async throws -> [String] {
        try await harness.rows("SELECT external_id FROM sessions ORDER BY external_id").compactMap { $0[0] }
    }

    /// Every archived session carries the simulator's values in the contract's columns.
    private func expectMapped(
        _ sessions: [OpenReplayLiveSession], in harness: ProviderHarness,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(
            try await harness.count("SELECT count(*) FROM sessions") == sessions.count, sourceLocation: sourceLocation)
        for session in sessions {
            let row = try #require(
                try await harness.rows(
                    """
                    SELECT started_at, user_id, title, device_type, os, browser, browser_version, country,
                        metadata ->> 'trackerVersion', metadata ->> 'projectId', metadata ->> 'userUUID',
                        raw ->> 'sessionID'
                    FROM sessions WHERE external_id = ?
                    """,
                    .text(session.sessionID)
                ).first, sourceLocation: sourceLocation)
            let expected: [String?] = [
                Timestamp(millisecondsSinceEpoch: session.timestamp).iso8601,
                session.userID.isEmpty ? nil : session.userID, session.pageTitle,
                session.userDeviceType, session.userOs, session.userBrowser, session.userBrowserVersion,
                session.userCountry.isEmpty ? nil : session.userCountry, session.trackerVersion, "3", session.userUUID,
                session.sessionID,
            ]
            #expect(row == expected, sourceLocation: sourceLocation)
            let entries = try await harness.rows(
                "SELECT m.key, m.value FROM session_metadata m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ? ORDER BY m.key",
                .text(session.sessionID)
            )
            #expect(
                entries == session.metadata.keys.sorted().map { [$0, session.metadata[$0]] },
                sourceLocation: sourceLocation)
        }
        // The data has anonymous sessions, sessions without GeoIP and sessions with metadata, so the checks above bite.
        #expect(
            sessions.contains { $0.userID.isEmpty } && sessions.contains { !$0.userID.isEmpty },
            sourceLocation: sourceLocation)
        #expect(sessions.contains { !$0.metadata.isEmpty }, sourceLocation: sourceLocation)
    }
}
