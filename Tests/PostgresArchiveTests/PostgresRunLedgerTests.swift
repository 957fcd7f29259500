import Archive
import PostgresArchive
import PostgresNIO
import SessionSyncSupport
import SessionSyncTesting
import Testing

@Suite("The run ledger in PostgreSQL: one live run per source, dead runs interrupted")
struct PostgresRunLedgerTests {
    static let alive: @Sendable (Int) -> Bool = { _ in true }

    @Test("a second process cannot open a run of a source while the first one's process lives")
    func secondLiveProcessWaits() async throws {
        try await withTemporaryPostgresArchive { archive, client in
            let first = try await archive.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            let second = try await archive.openRun(source: "s", provider: "yourgpt", pid: 202, isAlive: Self.alive)
            #expect(first.runID != nil)
            #expect(second.runID == nil)
            #expect(second.sourceID == first.sourceID)
            #expect(try await client.rows("SELECT pid::text, status FROM sync_runs") == [["101", "running"]])
            // The same process may open another run (its earlier one is then interrupted).
            let again = try await archive.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            #expect(again.runID != nil && again.runID != first.runID)
        }
    }

    @Test("a running run of a dead process becomes interrupted, and the next run starts after it")
    func deadProcess() async throws {
        try await withTemporaryPostgresArchive { archive, client in
            let first = try await archive.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            let firstRun = try #require(first.runID)
            // Its last heartbeat is in the future: the next run must not say it started before it.
            let heartbeat = Timestamp.now().adding(.seconds(3600))
            var progress = RunProgress()
            progress.requests = 7
            try await archive.heartbeat(runID: firstRun, progress: progress, now: heartbeat)
            let second = try await archive.openRun(
                source: "s", provider: "yourgpt", pid: 202, isAlive: { $0 == 202 })
            let secondRun = try #require(second.runID)
            #expect(second.startedAt == heartbeat.adding(milliseconds: 1))
            let rows = try await client.rows(
                """
                SELECT id::text, status, requests::text, \(PostgresTime.text("finished_at")), error FROM sync_runs
                ORDER BY id
                """)
            #expect(
                rows == [
                    ["\(firstRun)", "interrupted", "7", heartbeat.iso8601, RunRecord.abandonedError(pid: 101)],
                    ["\(secondRun)", "running", "0", nil, nil],
                ])
            #expect(try await archive.lastRunStart(source: "s") == second.startedAt)

            try await archive.finishRun(
                runID: secondRun, status: .succeeded, progress: progress, error: nil,
                now: heartbeat.adding(.seconds(1)))
            let ledger = try #require(try await archive.ledger(sources: ["s", "unknown"], queueCounts: true)["s"])
            #expect(ledger.lastRun?.id == secondRun && ledger.lastRun?.status == .succeeded)
            #expect(ledger.lastSuccess?.id == secondRun && ledger.lastSuccess?.requests == 7)
            #expect(ledger.lastRun?.pid == 202)
            #expect(ledger.queue == [])
        }
    }

    @Test("runs of processes that are gone are interrupted at start, but not the caller's own nor live ones")
    func interruptAbandoned() async throws {
        try await withTemporaryPostgresArchive { archive, client in
            _ = try await archive.openRun(source: "a", provider: "yourgpt", pid: 101, isAlive: Self.alive)
            _ = try await archive.openRun(source: "b", provider: "yourgpt", pid: 202, isAlive: Self.alive)
            _ = try await archive.openRun(source: "c", provider: "yourgpt", pid: 303, isAlive: Self.alive)
            let count = try await archive.interruptAbandonedRuns(now: .now(), isAlive: { $0 == 202 }, ownPID: 303)
            #expect(count == 1)
            #expect(
                try await client.rows("SELECT pid::text, status FROM sync_runs ORDER BY pid") == [
                    ["101", "interrupted"], ["202", "running"], ["303", "running"],
                ])
        }
    }

    @Test("a source archived under one provider is refused under another")
    func providerMismatch() async throws {
        try await withTemporaryPostgresArchive { archive, _ in
            try await archive.ensureSources([("s", "yourgpt")], now: .now())
            await #expect(throws: SourceProviderMismatch.self) {
                try await archive.ensureSources([("t", "isnotai"), ("s", "isnotai")], now: .now())
            }
            await #expect(throws: SourceProviderMismatch.self) {
                try await archive.openRun(source: "s", provider: "realtimekit", pid: 1, isAlive: Self.alive)
            }
            #expect(try await archive.source(named: "t")?.provider == "isnotai")
            #expect(try await archive.source(named: "s")?.provider == "yourgpt")
        }
    }

    /// Two processes open a run of one source at the same moment: both are held at the lock on
    /// the source's row until both wait there, so that neither has read the ledger before the
    /// other could write it. Without the lock both would find no running run and both start; under
    /// a server whose default isolation is REPEATABLE READ, the second would still read the
    /// ledger as it was before the first committed, unless the archive asks for READ COMMITTED.
    @Test(
        "two processes opening a run of one source at once: exactly one starts",
        arguments: ["read committed", "repeatable read"])
    func racingOpenRuns(defaultIsolation: String) async throws {
        try await withTemporaryPostgresArchive { archive, client in
            try await client.query(
                PostgresQuery(
                    unsafeSQL:
                        "ALTER DATABASE \(archive.server.database) SET default_transaction_isolation TO '\(defaultIsolation)'"
                ), logger: quietLogger)
            try await archive.ensureSources([("s", "yourgpt")], now: .now())
            // A new pool: its connections start with the database's new default.
            try await withPostgresClient(
                archive.server.clientConfiguration(password: TestPostgres.password), logger: quietLogger
            ) {
                pool in
                let racing = PostgresArchiveDatabase(
                    client: pool, server: archive.server, passwordGiven: false, logger: quietLogger)
                #expect(try await pool.value("SHOW default_transaction_isolation") == defaultIsolation)
                try await client.withConnection { gate in
                    try await gate.query("BEGIN", logger: quietLogger)
                    try await gate.query("SELECT id FROM sources WHERE name = 's' FOR UPDATE", logger: quietLogger)
                    async let first = racing.openRun(source: "s", provider: "yourgpt", pid: 101, isAlive: Self.alive)
                    async let second = racing.openRun(source: "s", provider: "yourgpt", pid: 202, isAlive: Self.alive)
                    // Until both wait, or a run was opened without waiting (which the lock forbids).
                    var state: [String?] = []
                    var polls = 0
                    repeat {
                        state =
                            try await client.rows(
                                """
                                SELECT (SELECT count(*) FROM pg_stat_activity
                                        WHERE datname = current_database() AND wait_event_type = 'Lock')::text,
                                    (SELECT count(*) FROM sync_runs)::text
                                """
                            ).first ?? []
                        polls += 1
                    } while (state == ["0", "0"] || state == ["1", "0"]) && polls < 20_000
                    #expect(state == ["2", "0"], "both processes should wait at the source's row")
                    try await gate.query("COMMIT", logger: quietLogger)
                    let opened = try await [first, second]
                    #expect(opened.compactMap(\.runID).count == 1, "\(opened.map(\.runID))")
                }
            }
            #expect(try await client.value("SELECT count(*)::text FROM sync_runs") == "1")
        }
    }
}
