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

@Suite("isnotai: sessions discovered by creation time, details once they finish")
struct IsNotAIProviderTests {
    static let key = "aik_v1_VGhpcy1pcy1hLXRlc3Qta2V5LW5vdC1hLXJlYWwtb25lLTk5"

    /// A simulator whose clock starts at the current second and moves only when a test says.
    static func simulator(sessions: Int = 60, tier: String = "pro", seed: UInt64 = 21) -> IsNotAISimulator {
        var options = IsNotAISimulator.Options()
        options.apiKey = key
        options.sessions = sessions
        options.seed = seed
        options.tier = tier
        options.history = .seconds(2 * 86_400)
        options.clock = .manual(Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch / 1000 * 1000))
        return IsNotAISimulator(options: options)
    }

    /// A source listing from three days before the simulator's start (inside every plan's window),
    /// writing to `archive`,
    /// for `body`; shut down when `body` returns or throws.
    @discardableResult
    static func withHarness<T>(
        _ simulator: IsNotAISimulator, extra: String = "", since: Timestamp? = nil, archive: ArchiveChoice = .sqlite,
        _ body: (ProviderHarness) async throws -> T
    ) async throws -> T {
        let start = since ?? simulator.options.clock.now.subtracting(.seconds(3 * 86_400))
        return try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "isnotai", "apiKey": {"env": "INA_KEY"}, "pageSize": 25, "since": "\#(start.iso8601)", "lookback": "10m"\#(extra)"#,
            secrets: ["INA_KEY": key],
            archive: archive,
            body
        )
    }

    static func detailRequests(_ harness: ProviderHarness, for id: String? = nil) -> [RequestLog.Entry] {
        harness.server.log.matching("/details").filter { id == nil || $0.request.path == "/v1/sessions/\(id!)/details" }
    }

    static func listRequests(_ harness: ProviderHarness) -> [RequestLog.Entry] {
        harness.server.log.all.filter { $0.request.path == "/v1/sessions" }
    }

    static func failure(_ outcome: PassOutcome) -> String? {
        if case .failed(let message) = outcome.result { return message }
        return nil
    }

    /// Session tables only (not the listing's cursor or the queue): what "archived" means.
    static func archivedDigest(_ harness: ProviderHarness, _ id: String) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for sql in [
            "SELECT started_at, ended_at, duration_seconds, detail_raw FROM sessions WHERE external_id = ?",
            "SELECT e.event_type, e.count FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ? ORDER BY 1",
            "SELECT t.bucket_at, t.event_count FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.external_id = ? ORDER BY 1",
            "SELECT p.seq, p.url FROM page_history p JOIN sessions s ON s.id = p.session_id WHERE s.external_id = ? ORDER BY 1",
        ] {
            rows += try await harness.rows(sql, .text(id))
        }
        return rows
    }

    // MARK: Discovery

    @Test(
        "discovery walks every cursor page from the cursor's startDate and stores a createdAt cursor, never the opaque one",
        arguments: ArchiveChoice.allCases)
    func discoveryOverPages(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator(sessions: 130)
        try await Self.withHarness(simulator, archive: archive) { harness in
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(try await harness.count("SELECT count(*) FROM sessions WHERE kind = 'activity'") == 130)
            // Listed, then written again with their details: still counted once each, as new.
            #expect(outcome.stats.sessionsInserted == 130)
            #expect(outcome.stats.sessionsChanged == 0)
            #expect(try await harness.count("SELECT sessions_upserted FROM sync_runs") == 130)

            let listings = Self.listRequests(harness)
            #expect(listings.count == 6, "130 sessions at 25 a page")
            #expect(listings.first?.request.query("cursor") == nil)
            let cursors = listings.dropFirst().compactMap { $0.request.query("cursor") }
            #expect(cursors.count == 5)
            #expect(Set(cursors).count == 5, "every page asked with a new cursor")
            let since = harness.source.since!.iso8601
            #expect(
                listings.allSatisfy { $0.request.query("startDate") == since && $0.request.query("pageSize") == "25" })

            // The stored cursor is the newest creation time (clamped to the pass start minus the lookback).
            let stored = try #require(
                try await harness.text("SELECT value FROM sync_cursors WHERE stream = 'createdAt'"))
            let value = try #require(Timestamp(iso8601: stored))
            let newest = try #require(
                try await harness.text("SELECT max(metadata ->> 'createdAt') FROM sessions").flatMap(
                    Timestamp.init(iso8601:)))
            #expect(value <= newest)
            #expect(value >= min(newest, Timestamp.now().subtracting(.seconds(700))))
            #expect(try await harness.count("SELECT count(*) FROM sync_cursors WHERE value LIKE 'cur1_%'") == 0)

            // The listing's fields in their columns.
            let id = simulator.sessionIDs[7]
            let listed = try JSONDocument(text: try #require(simulator.sessionJSON(of: id))).root
            let row = try #require(
                try await harness.rows(
                    "SELECT status, bot_score, user_id, url, metadata ->> 'userName', metadata ->> 'userUrl', metadata ->> 'userAgentSummary', metadata ->> 'detectionFlags', raw, metadata ->> 'createdAt' FROM sessions WHERE external_id = ?",
                    .text(id)
                ).first)
            #expect(row[0] == listed["status"]?.string)
            #expect(row[1].flatMap(Double.init) == listed["botScore"]?.double)
            #expect(row[2] == listed["userId"]?.string)
            #expect(row[3] == listed["pageUrl"]?.string)
            #expect(row[4] == listed["userName"]?.string)
            #expect(row[5] == listed["userUrl"]?.string)
            #expect(row[6] == listed["userAgentSummary"]?.string)
            #expect(try await row[7] == harness.storedJSON(listed["detectionFlags"]?.rawText))
            #expect(try await row[8] == harness.storedJSON(listed.rawText))
            #expect(row[9] == Timestamp(iso8601: listed["createdAt"]!.string!)!.iso8601)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM session_metadata m JOIN sessions s ON s.id = m.session_id WHERE s.external_id = ? AND m.key = 'userAgentSummary'",
                    .text(id)) == 1)
            // Flags as one metadata row each, for BI filters.
            let flagged = try await harness.count(
                "SELECT count(*) FROM sessions WHERE metadata -> 'detectionFlags' <> '[]'")
            #expect(flagged > 0)
            #expect(
                try await harness.count(
                    "SELECT count(DISTINCT session_id) FROM session_metadata WHERE key LIKE 'detectionFlag.%'")
                    == flagged)

            // Every closed session got its details, and no open one did.
            #expect(Self.detailRequests(harness).count == simulator.closedSessionIDs.count)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL")
                    == simulator.closedSessionIDs.count)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM sessions WHERE status = 'active' AND detail_raw IS NOT NULL")
                    == 0)
        }
    }

    @Test(
        "a page size above the plan's limit is clamped upstream and the walk still reads every page",
        arguments: ArchiveChoice.allCases)
    func planClampsPageSize(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator(sessions: 120, tier: "free")
        let since = simulator.options.clock.now.subtracting(.seconds(3 * 86_400))
        try await withProviderHarness(
            api: simulator,
            source:
                #""provider": "isnotai", "apiKey": {"env": "INA_KEY"}, "pageSize": 100, "since": "\#(since.iso8601)""#,
            secrets: ["INA_KEY": Self.key], archive: archive
        ) { harness throws in
            #expect(await harness.pass().result == .succeeded)
            let listings = Self.listRequests(harness)
            #expect(listings.count == 3, "50 + 50 + 20 on the free plan")
            #expect(listings.allSatisfy { $0.request.query("pageSize") == "100" })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 120)
        }
    }

    // MARK: Details

    @Test(
        "details land in their columns: times, one event_counts row per kind, the timeline, the page history in order, detail_raw verbatim",
        arguments: ArchiveChoice.allCases)
    func detailsColumns(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let id = simulator.closedSessionIDs[3]
            let text = try #require(simulator.detailsJSON(of: id))
            let details = try JSONDocument(text: text).root

            let session = try #require(
                try await harness.rows(
                    "SELECT started_at, ended_at, duration_seconds, detail_raw FROM sessions WHERE external_id = ?",
                    .text(id)
                ).first)
            #expect(session[0] == Timestamp(iso8601: details["startTime"]!.string!)!.iso8601)
            #expect(session[1] == Timestamp(iso8601: details["endTime"]!.string!)!.iso8601)
            #expect(session[2].flatMap(Double.init) == details["durationSeconds"]?.double)
            #expect(try await session[3] == harness.storedJSON(text))

            let counts = try await harness.rows(
                "SELECT e.event_type, e.count FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ? ORDER BY e.event_type",
                .text(id))
            #expect(counts.count == 6)
            for row in counts {
                #expect(
                    row[1].flatMap(Int64.init) == details["eventCounts"]?[row[0]!]?.int64,
                    "event_counts \(row[0] ?? "")")
            }

            let timeline = try await harness.rows(
                "SELECT t.bucket_at, t.event_count, t.dominant_event_type, t.activity_level FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.external_id = ? ORDER BY t.bucket_at",
                .text(id))
            let buckets = Array(details["timeline"]!.elements)
            #expect(timeline.count == buckets.count)
            #expect(buckets.count > 1)
            for (row, bucket) in zip(timeline, buckets) {
                #expect(row[0] == Timestamp(iso8601: bucket["timestamp"]!.string!)!.iso8601)
                #expect(row[1].flatMap(Int64.init) == bucket["eventCount"]?.int64)
                #expect(row[2] == bucket["dominantEventType"]?.string)
                #expect(row[3].flatMap(Double.init) == bucket["activityLevel"]?.double)
            }

            let pages = try await harness.rows(
                "SELECT p.seq, p.url, p.visited_at, p.type, p.duration_ms FROM page_history p JOIN sessions s ON s.id = p.session_id WHERE s.external_id = ? ORDER BY p.seq",
                .text(id))
            let visits = Array(details["pageHistory"]!.elements)
            #expect(pages.count == visits.count)
            #expect(visits.count >= 2)
            for (index, (row, visit)) in zip(pages, visits).enumerated() {
                #expect(row[0] == "\(index)")
                #expect(row[1] == visit["url"]?.string)
                #expect(row[2] == Timestamp(iso8601: visit["timestamp"]!.string!)!.iso8601)
                #expect(row[3] == visit["type"]?.string)
                #expect(row[4].flatMap(Int64.init) == visit["durationMs"]?.int64)
            }
            // The listing's payload stays in raw; the details payload sits beside it.
            #expect(
                try await harness.text("SELECT raw FROM sessions WHERE external_id = ?", .text(id))
                    == harness.storedJSON(simulator.sessionJSON(of: id)))
            #expect(try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(id)) == "done")
        }
    }

    @Test(
        "an open session asked for by id is fetched on every pass until it has an end time, then never again",
        arguments: ArchiveChoice.allCases)
    func openUntilClosed(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let clock = simulator.options.clock
        let open = simulator.addSession(createdAt: clock.now.subtracting(.seconds(300)), lasting: nil)
        try await Self.withHarness(simulator, extra: #", "sessionIds": ["\#(open)"]"#, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            #expect(
                Self.detailRequests(harness, for: open).count == 1, "asked for by id: fetched although still active")
            #expect(try await harness.text("SELECT ended_at FROM sessions WHERE external_id = ?", .text(open)) == nil)
            #expect(try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(open)) != nil)
            #expect(
                try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(open)) == "pending")
            let bucketsBefore = try await harness.count(
                "SELECT count(*) FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.external_id = ?",
                .text(open))

            clock.advance(by: .seconds(120))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: open).count == 1, "still no end time: fetched again")
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.external_id = ?",
                    .text(open)) > bucketsBefore)
            #expect(
                try await harness.count("SELECT attempts FROM fetch_queue WHERE external_id = ?", .text(open)) == 0,
                "an open session is not a failed attempt")

            simulator.closeSession(open)
            clock.advance(by: .seconds(60))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: open).count == 1)
            let ended = try await harness.text("SELECT ended_at FROM sessions WHERE external_id = ?", .text(open))
            #expect(ended != nil)
            #expect(
                try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(open)) == "closed")
            #expect(
                try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(open)) == "done")

            clock.advance(by: .seconds(60))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: open).isEmpty)
            #expect(try await harness.text("SELECT ended_at FROM sessions WHERE external_id = ?", .text(open)) == ended)
        }
    }

    @Test(
        "a listed session gets its details once it closes, again only when its updatedAt moves",
        arguments: ArchiveChoice.allCases)
    func closesThenChanges(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let clock = simulator.options.clock
        let id = simulator.addSession(createdAt: clock.now.subtracting(.seconds(120)), lasting: nil)
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: id).isEmpty, "active: no details yet")
            #expect(try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(id)) == "active")
            // Creation time stands in for the start until the details arrive.
            #expect(
                try await harness.text("SELECT started_at FROM sessions WHERE external_id = ?", .text(id))
                    == clock.now.subtracting(.seconds(120)).iso8601)

            simulator.closeSession(id)
            clock.advance(by: .seconds(30))
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness).map(\.request.path) == ["/v1/sessions/\(id)/details"])
            let keyboard = try await harness.count(
                "SELECT e.count FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ? AND e.event_type = 'keyboard'",
                .text(id))

            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness).isEmpty)

            clock.advance(by: .seconds(30))
            simulator.touch(id)
            harness.server.log.clear()
            let changed = await harness.pass()
            #expect(changed.result == .succeeded)
            #expect(Self.detailRequests(harness).map(\.request.path) == ["/v1/sessions/\(id)/details"])
            #expect(
                try await harness.count(
                    "SELECT e.count FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ? AND e.event_type = 'keyboard'",
                    .text(id)) == keyboard + 7)
            let updatedAt = try await harness.text(
                "SELECT metadata ->> 'updatedAt' FROM sessions WHERE external_id = ?", .text(id))
            #expect(
                try await harness.text("SELECT done_version FROM fetch_queue WHERE external_id = ?", .text(id))
                    == updatedAt)
        }
    }

    @Test(
        "an active session older than the listing window is revisited until it closes, then gets its details",
        arguments: ArchiveChoice.allCases)
    func revisitsUnfinished(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let clock = simulator.options.clock
        let long = simulator.addSession(createdAt: clock.now.subtracting(.seconds(2 * 3600)), lasting: nil)
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(long)) == "active")

            // The second listing starts ten minutes before the newest session seen: the two-hour-old one is outside it.
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            let revisits = Self.listRequests(harness).filter { $0.request.query("status") == "active" }
            #expect(revisits.count == 1)
            #expect(
                harness.server.log.all.filter { $0.request.path == "/v1/sessions/\(long)" }.isEmpty,
                "still listed as active: no need to read it by id")

            simulator.closeSession(long)
            clock.advance(by: .seconds(60))
            // A read that fails is that revisit's own failure: kept in the queue, backed off, the pass succeeds.
            harness.server.faults.inject(
                FaultRule(method: "GET", pathContains: "/v1/sessions/\(long)", times: nil, fault: .status(500)))
            let failing = await harness.pass()
            #expect(failing.result == .succeeded)
            #expect(failing.progress.warnings.contains { $0.hasPrefix("1 revisit item(s) failed") })
            #expect(
                try await harness.text(
                    "SELECT attempts || ' ' || state FROM fetch_queue WHERE kind = 'revisit' AND external_id = ?",
                    .text(long)) == "1 pending")
            #expect(
                try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(long)) == "active")
            harness.server.faults.clear()
            try await harness.endBackoffs()
            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.all.filter { $0.request.path == "/v1/sessions/\(long)" }.count == 1)
            #expect(Self.detailRequests(harness, for: long).count == 1)
            #expect(
                try await harness.text("SELECT status FROM sessions WHERE external_id = ?", .text(long)) == "closed")
            #expect(try await harness.text("SELECT ended_at FROM sessions WHERE external_id = ?", .text(long)) != nil)
            #expect(
                try await harness.text(
                    "SELECT state FROM fetch_queue WHERE kind = 'revisit' AND external_id = ?", .text(long)) == "done")

            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.server.log.all.filter { $0.request.path.hasPrefix("/v1/sessions/\(long)") }.isEmpty)
        }
    }

    // MARK: Requested ids

    @Test(
        "a detail_requests row inserted with plain SQL is fetched on the next pass and leaves the inbox",
        arguments: ArchiveChoice.allCases)
    func detailRequestsInbox(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let id = simulator.closedSessionIDs[10]
        try await Self.withHarness(simulator, extra: #", "discover": false"#, archive: archive) { harness in
            try await harness.execute(
                "INSERT INTO detail_requests (source_name, external_id) VALUES ('test', ?)", .text(id))
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.listRequests(harness).isEmpty, "discovery is off")
            #expect(Self.detailRequests(harness, for: id).count == 1)
            #expect(try await harness.count("SELECT count(*) FROM detail_requests") == 0)
            #expect(
                try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(id))
                    == harness.storedJSON(simulator.detailsJSON(of: id)))
            // Never listed: the details payload is all there is to keep as raw.
            #expect(
                try await harness.text("SELECT raw FROM sessions WHERE external_id = ?", .text(id))
                    == harness.storedJSON(simulator.detailsJSON(of: id)))
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ?",
                    .text(id)) == 6)
            #expect(try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(id)) == "done")
        }
    }

    @Test(
        "ids queued the way `sessionsync enqueue` does are fetched beside the discovered ones, once",
        arguments: ArchiveChoice.allCases)
    func enqueuePath(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let clock = simulator.options.clock
        // Five days old: before the source's `since`, so only a request brings it.
        let old = simulator.addSession(createdAt: clock.now.subtracting(.seconds(5 * 86_400)), lasting: .seconds(600))
        try await Self.withHarness(simulator, archive: archive) { harness in
            // What EnqueueCommand does, from another connection as another process would.
            let requests = try harness.operatorRequests()
            #expect(try await requests.requestDetails(sourceName: "test", externalIDs: [old], now: .now()) == 1)
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: old).count == 1)
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 61)
            #expect(
                try await harness.text("SELECT ended_at FROM sessions WHERE external_id = ?", .text(old))
                    == clock.now.subtracting(.seconds(5 * 86_400 - 600)).iso8601)

            harness.server.log.clear()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness, for: old).isEmpty)
        }
    }

    // MARK: Errors

    @Test(
        "a details 404 is recorded on the queue item, retried up to maxDetailAttempts, then given up; nothing is archived",
        arguments: ArchiveChoice.allCases)
    func notFoundIsBounded(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(
            simulator, extra: #", "discover": false, "sessionIds": ["ses_gone"], "maxDetailAttempts": 3"#,
            archive: archive
        ) { harness in
            for attempt in 1...3 {
                harness.server.log.clear()
                try await harness.endBackoffs()
                let outcome = await harness.pass()
                #expect(outcome.result == .succeeded)
                #expect(Self.detailRequests(harness, for: "ses_gone").count == 1)
                let row = try #require(
                    try await harness.rows(
                        "SELECT attempts, state, last_error FROM fetch_queue WHERE external_id = 'ses_gone'"
                    ).first)
                #expect(row[0] == "\(attempt)")
                #expect(row[1] == (attempt < 3 ? "pending" : "gave_up"))
                #expect(row[2]?.contains("SESSION_NOT_FOUND") == true)
                #expect(row[2]?.contains("GET /v1/sessions/{id}/details") == true)
            }
            harness.server.log.clear()
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness).isEmpty, "given up: not asked again")
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 0)
            let counts = try await harness.backend.ledger(sources: ["test"], queueCounts: true)["test"]?.queue ?? []
            #expect(counts.first { $0.kind == "details" }?.gaveUp == 1)
            #expect(counts.first { $0.kind == "details" }?.lastGiveUpError?.contains("SESSION_NOT_FOUND") == true)
        }
    }

    @Test(
        "a 403 for one session (another integration's) is that session's failure, not the source's",
        arguments: ArchiveChoice.allCases)
    func forbiddenSession(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        let id = simulator.closedSessionIDs[5]
        try await Self.withHarness(simulator, archive: archive) { harness in
            let envelope =
                #"{"error": {"code": "FORBIDDEN", "message": "The session belongs to another integration.", "details": {}}}"#
            harness.server.faults.inject(
                FaultRule(pathContains: "/v1/sessions/\(id)/details", times: 1, fault: .status(403, body: envelope)))
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.rows("SELECT attempts, state FROM fetch_queue WHERE external_id = ?", .text(id)).first
                    == [
                        "1", "pending",
                    ])
            #expect(
                try await harness.text("SELECT last_error FROM fetch_queue WHERE external_id = ?", .text(id))?.contains(
                    "FORBIDDEN") == true)
            #expect(try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(id)) == nil)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL") == simulator
                    .closedSessionIDs.count - 1)

            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(id)) == "done")
        }
    }

    @Test(
        "a refused key fails the run with the API's code and the region hint, and touches nothing",
        arguments: ArchiveChoice.allCases)
    func unauthorized(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            simulator.touch(simulator.closedSessionIDs[0])
            simulator.rotateAPIKey(to: "aik_v1_a-different-key-issued-in-the-other-region-000")
            let outcome = await harness.pass()
            let message = try #require(Self.failure(outcome))
            #expect(message.contains("HTTP 401"))
            #expect(message.contains("INVALID_API_KEY"))
            #expect(message.contains("other region"))
            #expect(message.contains("GET /v1/sessions"))
            #expect(try await harness.archiveDigest() == digest)
            #expect(
                try await harness.text("SELECT error FROM sync_runs ORDER BY id DESC LIMIT 1")?.contains(
                    "INVALID_API_KEY")
                    == true)
            // 401 answers carry no plan header: nothing to mistake for an empty window.
            #expect(harness.server.log.all.last?.status == 401)
        }
    }

    @Test(
        "the 401 message names the region the baseURL points at",
        arguments: [
            ("https://api.isnotai.com", "US region"), ("https://api-eu.isnotai.com", "EU region"),
        ])
    func regionHint(baseURL: String, region: String) throws {
        let text =
            #"{"database": "/tmp/unused.sqlite", "sources": [{"name": "x", "provider": "isnotai", "baseURL": "\#(baseURL)", "apiKey": {"env": "INA_KEY"}}]}"#
        let loader = ConfigurationLoader(
            registry: StandardProviders.registry, environment: SecretEnvironment(variables: ["INA_KEY": Self.key]))
        let configuration = try loader.parse(bytes: Array(text.utf8), file: "(test)")
        let provider = IsNotAIProvider(source: configuration.sources[0])
        let body = #"{"error": {"code": "INVALID_API_KEY", "message": "The API key is not valid.", "details": {}}}"#
        let message = try #require(provider.describeError(status: 401, body: Array(body.utf8)))
        #expect(message.hasPrefix("INVALID_API_KEY: The API key is not valid."))
        #expect(message.contains(region))
        #expect(!message.contains(Self.key))
        #expect(
            provider.describeError(
                status: 400,
                body: Array(
                    #"{"error": {"code": "VALIDATION_ERROR", "message": "bad", "details": {"field": "pageSize"}}}"#.utf8
                ))
                == #"VALIDATION_ERROR: bad (details: {"field": "pageSize"})"#)
        #expect(provider.describeError(status: 500, body: Array("<html>".utf8)) == nil)
    }

    @Test("a burst of 503s on details is retried and the pass succeeds", arguments: ArchiveChoice.allCases)
    func serviceUnavailableBurst(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        simulator.failNextDetails(times: 3)
        try await Self.withHarness(simulator, archive: archive) { harness throws in
            #expect(await harness.pass().result == .succeeded)
            #expect(Self.detailRequests(harness).filter { $0.status == 503 }.count == 3)
            #expect(!harness.sleeps.withLock { $0 }.isEmpty, "the engine backed off before retrying")
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL")
                    == simulator.closedSessionIDs.count)
        }
    }

    @Test(
        "503s that outlast the retries cost the session one backed-off attempt, leave the details as archived, and a later pass catches up",
        arguments: ArchiveChoice.allCases)
    func serviceUnavailableOutlasting(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        // Recent enough for the second listing (which starts ten minutes before the cursor) to see it change.
        let id = simulator.addSession(
            createdAt: simulator.options.clock.now.subtracting(.seconds(300)), lasting: .seconds(60))
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let before = try await Self.archivedDigest(harness, id)
            simulator.options.clock.advance(by: .seconds(10))
            simulator.touch(id)
            simulator.failNextDetails(times: 1000)
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            let warning = try #require(
                outcome.progress.warnings.first { $0.contains("session detail fetch(es) failed") })
            #expect(warning.contains("HTTP 503"))
            #expect(warning.contains("SERVICE_UNAVAILABLE"))
            #expect(try await Self.archivedDigest(harness, id) == before)
            let queued = try #require(
                try await harness.rows(
                    "SELECT state, attempts, next_attempt_at IS NOT NULL FROM fetch_queue WHERE external_id = ?",
                    .text(id)
                ).first)
            #expect(queued == ["pending", "1", "1"], "one attempt, backed off")

            simulator.failNextDetails(times: 0)
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(try await Self.archivedDigest(harness, id) != before)
            #expect(try await harness.text("SELECT state FROM fetch_queue WHERE external_id = ?", .text(id)) == "done")
        }
    }

    @Test("429 with Retry-After on the listing is waited out and retried", arguments: ArchiveChoice.allCases)
    func rateLimited(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness throws in
            harness.server.faults.inject(
                FaultRule(pathContains: "/v1/sessions", times: 1, fault: .tooManyRequests(retryAfter: "7")))
            #expect(await harness.pass().result == .succeeded)
            #expect(harness.sleeps.withLock { $0 }.contains(.seconds(7)))
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 60)
        }
    }

    @Test(
        "a malformed listing fails the run naming the endpoint, and leaves the archive and cursor as they were",
        arguments: ArchiveChoice.allCases)
    func malformedListing(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            #expect(await harness.pass().result == .succeeded)
            let digest = try await harness.archiveDigest()
            simulator.addSession(lasting: .seconds(1))
            simulator.options.clock.advance(by: .seconds(5))
            harness.server.faults.inject(FaultRule(pathContains: "/v1/sessions", times: 1, fault: .malformedBody))
            let message = try #require(Self.failure(await harness.pass()))
            #expect(message.contains("GET /v1/sessions"))
            #expect(message.contains("could not be read"))
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test("a listing whose shape is wrong names the JSON path", arguments: ArchiveChoice.allCases)
    func wrongShape(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/v1/sessions", times: 1,
                    fault: .status(200, body: #"{"data": [], "pagination": {"hasMore": "yes"}}"#)))
            let message = try #require(Self.failure(await harness.pass()))
            #expect(message.contains("pagination.hasMore: expected a boolean"))
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 0)
            #expect(try await harness.count("SELECT count(*) FROM sync_cursors") == 0)
        }
    }

    @Test(
        "hasMore without a nextCursor fails the run instead of stopping short, and moves no cursor",
        arguments: ArchiveChoice.allCases)
    func hasMoreWithoutCursor(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness in
            harness.server.faults.inject(
                FaultRule(
                    pathContains: "/v1/sessions", times: 1,
                    fault: .status(200, body: #"{"data": [], "pagination": {"hasMore": true, "limit": 25}}"#)))
            let message = try #require(Self.failure(await harness.pass()))
            #expect(message.contains("pagination.nextCursor is missing"))
            #expect(try await harness.count("SELECT count(*) FROM sync_cursors") == 0)
        }
    }

    @Test(
        "an unreadable details body costs that session one backed-off attempt; the others are archived and a later pass fetches it",
        arguments: ArchiveChoice.allCases)
    func malformedDetails(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, extra: #", "maxConcurrentRequests": 1"#, archive: archive) { harness in
            harness.server.faults.inject(FaultRule(pathContains: "/details", skip: 4, times: 1, fault: .malformedBody))
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            #expect(
                outcome.progress.warnings.contains {
                    $0.contains("1 session detail fetch(es) failed") && $0.contains("GET /v1/sessions/{id}/details")
                })
            let failed = try #require(Self.detailRequests(harness).first { $0.faulted })
            let id = String(failed.request.path.dropFirst("/v1/sessions/".count).dropLast("/details".count))
            #expect(try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(id)) == nil)
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM event_counts e JOIN sessions s ON s.id = e.session_id WHERE s.external_id = ?",
                    .text(id)) == 0)
            #expect(
                try await harness.rows("SELECT attempts, state FROM fetch_queue WHERE external_id = ?", .text(id)).first
                    == [
                        "1", "pending",
                    ])
            #expect(
                try await harness.count(
                    "SELECT count(*) FROM fetch_queue WHERE external_id = ? AND next_attempt_at > last_attempt_at",
                    .text(id)) == 1, "backed off")
            #expect(try await harness.count("SELECT count(*) FROM fetch_queue WHERE last_error IS NOT NULL") == 1)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL") == simulator
                    .closedSessionIDs.count - 1, "every other session was archived")

            // Not due before its backoff ends (held an hour away here, so that a slow machine's pass
            // cannot outlast it); once it has, a pass fetches it.
            try await harness.execute(
                "UPDATE fetch_queue SET next_attempt_at = ? WHERE external_id = ?",
                .text(Timestamp.now().adding(.seconds(3600)).iso8601), .text(id))
            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(id)) == nil)
            try await harness.endBackoffs()
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.text("SELECT detail_raw FROM sessions WHERE external_id = ?", .text(id))
                    == harness.storedJSON(simulator.detailsJSON(of: id)))
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL")
                    == simulator.closedSessionIDs.count)
        }
    }

    @Test("a truncated details answer is retried like a dropped connection", arguments: ArchiveChoice.allCases)
    func truncatedDetails(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, archive: archive) { harness throws in
            harness.server.faults.inject(FaultRule(pathContains: "/details", times: 1, fault: .truncatedBody))
            harness.server.faults.inject(FaultRule(pathContains: "/details", skip: 3, times: 1, fault: .dropConnection))
            #expect(await harness.pass().result == .succeeded)
            #expect(
                try await harness.count("SELECT count(*) FROM sessions WHERE detail_raw IS NOT NULL")
                    == simulator.closedSessionIDs.count)
        }
    }

    // MARK: History window

    @Test(
        "a startDate older than the plan's history window is reported as a warning and the listing resumes inside the window",
        arguments: ArchiveChoice.allCases)
    func historyWindowWarning(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator(tier: "free")
        let since = simulator.options.clock.now.subtracting(.seconds(10 * 86_400))
        try await Self.withHarness(simulator, since: since, archive: archive) { harness in
            let outcome = await harness.pass()
            #expect(outcome.result == .succeeded)
            let warnings = try #require(
                try await harness.text("SELECT warnings FROM sync_runs ORDER BY id DESC LIMIT 1"))
            #expect(warnings.contains("history window"))
            #expect(warnings.contains("free plan's 7-day"))
            #expect(warnings.contains(since.iso8601))
            let listings = Self.listRequests(harness)
            #expect(listings.first?.request.query("startDate") == since.iso8601)
            #expect(listings.count >= 2)
            #expect(listings.dropFirst().allSatisfy { $0.request.query("startDate") != since.iso8601 })
            #expect(try await harness.count("SELECT count(*) FROM sessions") == 60)

            #expect(await harness.pass().result == .succeeded)
            #expect(try await harness.text("SELECT warnings FROM sync_runs ORDER BY id DESC LIMIT 1") == nil)
        }
    }

    // MARK: Idempotence and secrecy

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
            #expect(Self.detailRequests(harness).isEmpty)
            #expect(try await harness.archiveDigest() == digest)
        }
    }

    @Test(
        "the key goes out as a Bearer header and never reaches the logs or the archive",
        arguments: ArchiveChoice.allCases)
    func secrecy(archive: ArchiveChoice) async throws {
        let simulator = Self.simulator()
        try await Self.withHarness(simulator, extra: #", "sessionIds": ["ses_missing"]"#, archive: archive) {
            harness throws in
            #expect(await harness.pass().result == .succeeded)
            simulator.rotateAPIKey(to: "aik_v1_rotated")
            _ = await harness.pass()
            #expect(harness.server.log.all.first?.request.header("Authorization") == "Bearer \(Self.key)")
            #expect(!harness.logs.text.isEmpty)
            #expect(!harness.logs.text.contains(Self.key))
            #expect(try await !harness.archiveContains(text: Self.key))
        }
    }
}
