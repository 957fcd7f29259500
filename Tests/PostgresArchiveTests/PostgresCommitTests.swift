import Archive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("A PostgreSQL commit is one transaction, and its failure says what failed without a value")
struct PostgresCommitTests {
    static let now = Timestamp(iso8601: "2026-11-22T10:00:00.000Z")!

    /// A page with its sessions, child sets, queue work and cursor, then `failing`, the last thing
    /// the commit writes.
    static func page(failing: QuarantinedRecord? = nil, eventType: String = "total") -> ArchiveBatch {
        var record = SessionRecord(externalID: "s1", kind: .activity)
        record.raw = #"{"id":"s1"}"#
        record.children = [.eventCounts([EventCount(eventType: eventType, count: 3)])]
        var batch = ArchiveBatch(
            sessions: [record, WriterScenarios.bare("s2", kind: .activity)],
            cursors: [CursorUpdate(stream: "createdAt", value: "2026-11-22T09:00:00.000Z")],
            enqueue: [QueueRequest(kind: "details", externalID: "s1", version: "v1")],
            drift: [SchemaDrift(endpoint: "sessions", path: "data[].x", expected: "a string", found: "a number: 1")])
        if let failing { batch.quarantined = [failing] }
        return batch
    }

    /// Every table the page writes to, and how many rows each holds.
    static func counts(_ client: PostgresClient) async throws -> [String] {
        var counts: [String] = []
        for table in [
            "sessions", "event_counts", "session_fingerprints", "fetch_queue", "sync_cursors", "schema_drift",
        ] {
            counts.append("\(table) \(try await client.value("SELECT count(*)::text FROM \(table)") ?? "?")")
        }
        return counts
    }

    @Test("a batch whose last statement fails leaves none of its rows and not its cursor")
    func failedCommitLeavesNothing() async throws {
        try await withTemporaryPostgresArchive { archive, client in
            try await archive.ensureSources([("test", "isnotai")], now: Self.now)
            let sourceID = try #require(try await archive.source(named: "test")).id
            // jsonb refuses what is not JSON: the quarantined record comes after the cursor.
            let broken = QuarantinedRecord(
                endpoint: "sessions", externalID: nil, reason: "bad", raw: "not JSON, with a value: Tok-3c1e9f")
            let error = await #expect(throws: PostgresArchiveError.self) {
                try await archive.commit(Self.page(failing: broken), sourceID: sourceID, now: Self.now)
            }
            #expect(error?.sqlState == "22P02")
            #expect(error?.operation == "commit a batch")
            let description = error.map { "\($0)" } ?? ""
            #expect(description.contains("INSERT INTO quarantine"), "\(description)")
            #expect(!description.contains("Tok-3c1e9f"), "no bound value in the message: \(description)")
            #expect(
                try await Self.counts(client) == [
                    "sessions 0", "event_counts 0", "session_fingerprints 0", "fetch_queue 0", "sync_cursors 0",
                    "schema_drift 0",
                ])

            // The same page without the broken record commits whole.
            let stats = try await archive.commit(Self.page(), sourceID: sourceID, now: Self.now)
            #expect(stats.sessionsInserted == 2)
            #expect(
                try await Self.counts(client) == [
                    "sessions 2", "event_counts 1", "session_fingerprints 1", "fetch_queue 1", "sync_cursors 1",
                    "schema_drift 1",
                ])
        }
    }

    @Test("a row the schema refuses fails the commit with the server's words, but not the row's values")
    func checkViolation() async throws {
        try await withTemporaryPostgresArchive { archive, client in
            try await archive.ensureSources([("test", "isnotai")], now: Self.now)
            let sourceID = try #require(try await archive.source(named: "test")).id
            let error = await #expect(throws: PostgresArchiveError.self) {
                try await archive.commit(Self.page(eventType: "Tok-7d2a"), sourceID: sourceID, now: Self.now)
            }
            #expect(error?.sqlState == "23514")
            let description = error.map { "\($0)" } ?? ""
            #expect(description.contains("event_counts_event_type_check"), "\(description)")
            // PostgreSQL's DETAIL quotes the failing row; it is left out.
            #expect(!description.contains("Tok-7d2a"), "\(description)")
            #expect(try await client.value("SELECT count(*)::text FROM sessions") == "0")
        }
    }

    /// What postgres-nio's pool throws once it gives up on a server (after about a minute of
    /// retries, too long for a test to wait): a type of its own, named after the pool.
    struct PoolGaveUp: Error, CustomStringConvertible {
        var description: String { "ConnectionPoolError(connectionCreationCircuitBreakerTripped)" }
    }

    @Test("a connection that cannot be leased is an operator's message naming the server, not the pool's")
    func unreachable() async throws {
        try await withTemporaryPostgresArchive { archive, _ in
            let error = archive.connectionFailure(PoolGaveUp())
            let failure = try #require(error as? PostgresFailure)
            #expect(failure.kind == .unreachable)
            #expect(failure.message.contains(archive.server.endpoint), "\(failure)")
            #expect(failure.message.contains(archive.server.database), "\(failure)")
            #expect(archive.connectionFailure(CancellationError()) is CancellationError)
        }
    }
}
