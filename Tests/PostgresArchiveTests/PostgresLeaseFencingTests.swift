import Archive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("Two instances on one PostgreSQL archive: a source's run and commits belong to its lease holder")
struct PostgresLeaseFencingTests {
    static let alive: @Sendable (Int) -> Bool = { _ in true }

    /// A page of one session with a cursor, as a pass commits it.
    static func page(_ id: String, cursor: String) -> ArchiveBatch {
        var record = SessionRecord(externalID: id, kind: .chat)
        record.raw = #"{"session_uid":"\#(id)"}"#
        record.status = "open"
        return ArchiveBatch(sessions: [record], cursors: [CursorUpdate(stream: "last", value: cursor)])
    }

    @Test(
        "the holder's instance runs the source and the other is turned away; once the lease lapses the other takes over, the first one's run is interrupted and its commits are refused; a finished run frees the source"
    )
    func takeover() async throws {
        try await withTemporaryPostgresArchive { first, client in
            let second = PostgresArchiveDatabase(
                client: client, server: first.server, passwordGiven: false, logger: quietLogger, holder: "second:1:b")
            let a = try await first.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            let aRun = try #require(a.runID)
            let refused = try await second.openRun(source: "s", provider: "yourgpt", pid: 202, isAlive: Self.alive)
            #expect(refused.runID == nil, "another instance holds the source")
            _ = try await first.commit(Self.page("one", cursor: "1"), sourceID: a.sourceID, now: .now())

            // The first instance pauses (SIGSTOP, a partition) past its lease.
            try await client.query(
                "UPDATE source_leases SET expires_at = now() - interval '1 second'", logger: quietLogger)
            let b = try await second.openRun(source: "s", provider: "yourgpt", pid: 202, isAlive: Self.alive)
            let bRun = try #require(b.runID)
            #expect(try await client.value("SELECT status FROM sync_runs WHERE id = \(aRun)") == "interrupted")

            // It wakes up and goes on: nothing it commits lands, and its heartbeat does not win the source back.
            try await first.heartbeat(runID: aRun, progress: RunProgress(), now: .now())
            await #expect(throws: (any Error).self) {
                try await first.commit(Self.page("late", cursor: "999"), sourceID: a.sourceID, now: .now())
            }
            _ = try await second.commit(Self.page("two", cursor: "2"), sourceID: b.sourceID, now: .now())
            #expect(
                try await client.value("SELECT string_agg(external_id, ',' ORDER BY external_id) FROM sessions")
                    == "one,two")
            #expect(try await client.value("SELECT value FROM sync_cursors WHERE stream = 'last'") == "2")
            #expect(try await client.value("SELECT holder || ' ' || epoch FROM source_leases") == "second:1:b 2")

            // A finished run lets the source go: the first instance may run it again, with the next epoch.
            try await second.finishRun(
                runID: bRun, status: .succeeded, progress: RunProgress(), error: nil, now: .now())
            let again = try await first.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            #expect(again.runID != nil)
            #expect(try await client.value("SELECT epoch::text FROM source_leases") == "3")
            _ = try await first.commit(Self.page("three", cursor: "3"), sourceID: again.sourceID, now: .now())
        }
    }

    @Test("a run of another instance's held source is not interrupted, whatever its process id means here")
    func abandonedRunsRespectLeases() async throws {
        try await withTemporaryPostgresArchive { first, client in
            let second = PostgresArchiveDatabase(
                client: client, server: first.server, passwordGiven: false, logger: quietLogger, holder: "elsewhere:7:c"
            )
            let held = try await second.openRun(source: "s", provider: "yourgpt", pid: 7, isAlive: Self.alive)
            let run = try #require(held.runID)
            // Pid 7 does not run on this machine: only the lease says the run is alive.
            let interrupted = try await first.interruptAbandonedRuns(now: .now(), isAlive: { _ in false }, ownPID: 1)
            #expect(interrupted == 0)
            #expect(try await client.value("SELECT status FROM sync_runs WHERE id = \(run)") == "running")
        }
    }

    @Test("a lease held by a process of this machine that no longer runs is taken over at once")
    func deadLocalHolder() async throws {
        try await withTemporaryPostgresArchive { first, client in
            let gone = PostgresArchiveDatabase(
                client: client, server: first.server, passwordGiven: false, logger: quietLogger,
                holder: "\(SourceLeaseHolder.thisHost):4000000:dead")
            _ = try #require(
                try await gone.openRun(source: "s", provider: "yourgpt", pid: 4_000_000, isAlive: Self.alive).runID)
            let taken = try await first.openRun(
                source: "s", provider: "yourgpt", pid: 101, isAlive: { $0 != 4_000_000 })
            #expect(taken.runID != nil)
            #expect(try await client.value("SELECT epoch::text FROM source_leases") == "2")
            let stillAlive = try await gone.openRun(
                source: "t", provider: "yourgpt", pid: 4_000_000, isAlive: Self.alive)
            let refused = try await first.openRun(source: "t", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            #expect(stillAlive.runID != nil && refused.runID == nil, "a live holder's lease is waited out")
        }
    }
}
